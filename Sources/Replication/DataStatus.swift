/// The `<rsc>-data-status` node attribute (lifetime forever): how current a node's data is.
///
/// `LATEST` on the primary, `DISCONNECT` when a node is not streaming, otherwise the
/// `STATE|SYNC_STATE` pair of its `pg_stat_replication` row in upper case (`STREAMING|SYNC`,
/// `STREAMING|ASYNC`, `STREAMING|POTENTIAL`, `STREAMING|QUORUM`, `CATCHUP|ASYNC`, ...).
public enum DataStatus: Hashable, Sendable, CustomStringConvertible {
    case latest
    case disconnect
    case replication(state: WALSenderState, syncState: SyncState)

    public static let streamingSync = DataStatus.replication(state: .streaming, syncState: .sync)
    public static let streamingAsync = DataStatus.replication(state: .streaming, syncState: .async)
    public static let streamingPotential = DataStatus.replication(state: .streaming, syncState: .potential)

    public init?(attribute: String) {
        switch attribute {
        case "LATEST": self = .latest
        case "DISCONNECT": self = .disconnect
        default:
            let parts = attribute.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty,
                parts.allSatisfy({ $0.allSatisfy { $0.isUppercase || $0 == "_" || $0.isNumber } })
            else { return nil }
            self = .replication(state: WALSenderState(String(parts[0])), syncState: SyncState(String(parts[1])))
        }
    }

    public var description: String {
        switch self {
        case .latest: "LATEST"
        case .disconnect: "DISCONNECT"
        case .replication(let state, let syncState): "\(state)|\(syncState)"
        }
    }
}
