/// One row of the primary's `pg_stat_replication`: who streams, in which state.
public struct ReplicationRow: Hashable, Sendable {
    public let applicationName: String
    /// `upper(state)`: STREAMING, CATCHUP, STARTUP, BACKUP, STOPPING.
    public let state: String
    /// `upper(sync_state)`: SYNC, ASYNC, POTENTIAL, QUORUM.
    public let syncState: String

    public init(applicationName: String, state: String, syncState: String) {
        self.applicationName = applicationName
        self.state = state.uppercased()
        self.syncState = syncState.uppercased()
    }

    public var dataStatus: DataStatus { .replication(state: state, syncState: syncState) }
}
