/// One row of the primary's `pg_stat_replication`: who streams, in which state, flushed how far.
public struct ReplicationRow: Hashable, Sendable {
    public let applicationName: String
    /// `upper(state)`: STREAMING, CATCHUP, STARTUP, BACKUP, STOPPING.
    public let state: String
    /// `upper(sync_state)`: SYNC, ASYNC, POTENTIAL, QUORUM.
    public let syncState: String
    /// `flush_lsn`: how far the standby has written WAL to disk (`nil` when unknown).
    public let flush: LSN?

    public init(applicationName: String, state: String, syncState: String, flush: LSN? = nil) {
        self.applicationName = applicationName
        self.state = state.uppercased()
        self.syncState = syncState.uppercased()
        self.flush = flush
    }

    public var dataStatus: DataStatus { .replication(state: state, syncState: syncState) }
}
