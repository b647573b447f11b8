/// `pg_stat_replication.state` of one standby's walsender, as the data status spells it.
public enum WALSenderState: Hashable, Sendable, CustomStringConvertible {
    case startup
    case catchup
    case streaming
    case backup
    case stopping
    /// A state this agent does not know (a newer PostgreSQL, another agent's attribute).
    case other(String)

    /// Parses the state in any case (`streaming`, `STREAMING`).
    public init(_ text: String) {
        switch text.uppercased() {
        case "STARTUP": self = .startup
        case "CATCHUP": self = .catchup
        case "STREAMING": self = .streaming
        case "BACKUP": self = .backup
        case "STOPPING": self = .stopping
        case let other: self = .other(other)
        }
    }

    public var description: String {
        switch self {
        case .startup: "STARTUP"
        case .catchup: "CATCHUP"
        case .streaming: "STREAMING"
        case .backup: "BACKUP"
        case .stopping: "STOPPING"
        case .other(let text): text
        }
    }
}

/// `pg_stat_replication.sync_state`, as the data status spells it.
public enum SyncState: Hashable, Sendable, CustomStringConvertible {
    case sync
    case async
    case potential
    case quorum
    /// A value this agent does not know.
    case other(String)

    /// Parses the value in any case (`sync`, `SYNC`).
    public init(_ text: String) {
        switch text.uppercased() {
        case "SYNC": self = .sync
        case "ASYNC": self = .async
        case "POTENTIAL": self = .potential
        case "QUORUM": self = .quorum
        case let other: self = .other(other)
        }
    }

    public var description: String {
        switch self {
        case .sync: "SYNC"
        case .async: "ASYNC"
        case .potential: "POTENTIAL"
        case .quorum: "QUORUM"
        case .other(let text): text
        }
    }
}
