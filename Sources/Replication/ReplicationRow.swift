/// One row of the primary's `pg_stat_replication`: who streams, in which state, flushed how far.
public struct ReplicationRow: Hashable, Sendable {
    public let applicationName: String
    public let state: WALSenderState
    public let syncState: SyncState
    /// `flush_lsn`: how far the standby has written WAL to disk (`nil` when unknown).
    public let flush: LSN?

    public init(applicationName: String, state: WALSenderState, syncState: SyncState, flush: LSN? = nil) {
        self.applicationName = applicationName
        self.state = state
        self.syncState = syncState
        self.flush = flush
    }

    /// A row as PostgreSQL prints it (`state` and `sync_state` in any case).
    public init(applicationName: String, state: String, syncState: String, flush: LSN? = nil) {
        self.init(
            applicationName: applicationName, state: WALSenderState(state), syncState: SyncState(syncState),
            flush: flush)
    }

    public var dataStatus: DataStatus { .replication(state: state, syncState: syncState) }
}
