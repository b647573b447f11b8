/// The `rep_mode` parameter.
public enum ReplicationMode: String, CaseIterable, Sendable {
    /// A single PostgreSQL instance (primitive or group; shared storage).
    case none
    /// A promotable clone with asynchronous streaming replication.
    case async
    /// A promotable clone that keeps one standby synchronous through `synchronous_standby_names`.
    case sync
    /// A plain resource that always runs PostgreSQL as a hot standby of `master_ip`.
    case slave

    /// Whether the mode manages a promotable clone (node attributes, scores, lock file).
    public var isPromotable: Bool { self == .async || self == .sync }
}
