/// The role of a resource instance on a node, as `crm_mon` reports it; the legacy names
/// (`Master`, `Slave`) read as their Pacemaker 2.1 names.
public enum InstanceRole: Hashable, Sendable {
    case promoted
    case unpromoted
    case started
    case stopped
    /// A role this agent does not know.
    case other(String)

    public init(_ text: String) {
        switch text {
        case "Promoted", "Master": self = .promoted
        case "Unpromoted", "Slave": self = .unpromoted
        case "Started": self = .started
        case "Stopped": self = .stopped
        case let other: self = .other(other)
        }
    }
}
