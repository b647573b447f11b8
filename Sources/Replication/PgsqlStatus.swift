/// The `<rsc>-status` node attribute: what an instance is, as operators read it in `crm_mon -A`.
public enum PgsqlStatus: String, Sendable, CaseIterable {
    case primary = "PRI"
    case syncStandby = "HS:sync"
    case asyncStandby = "HS:async"
    case potentialStandby = "HS:potential"
    case connectedStandby = "HS:connected"
    case aloneStandby = "HS:alone"
    case stopped = "STOP"
    case unknown = "UNKNOWN"

    /// Another node's STOP/UNKNOWN is its own verdict about itself (e.g. a broken disk hides its pid
    /// file while replication still runs): the primary never overwrites it.
    public var isOwnedByItsNode: Bool { self == .stopped || self == .unknown }
}
