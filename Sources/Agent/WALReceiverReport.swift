import OCF
import Postgres
import Replication

/// check_wal_receiver: keeps the transient node attribute `<rsc>-receiver-status` through attrd,
/// in every rep_mode (plain and slave included, as the shell agent does).
struct WALReceiverReport {
    let context: AgentContext

    /// The recovery + WAL receiver query for the data directory's PostgreSQL version.
    static func query(pgdata: String) -> String {
        let version = PostgresVersion.ofDataDirectory(pgdata)
        return WALReceiverStatus.query(postgresMajor: version?.major, minor: version?.minor ?? 0)
    }

    var attribute: String { ResourceAttributes(resource: context.ocf.resourceName).receiverStatus }

    /// A standby without a streaming receiver is logged as a warning on every monitor.
    func warnIfFailing(_ status: WALReceiverStatus) {
        if status == .error { context.logger.warning("PostgreSQL's WAL receiver is not streaming") }
    }

    /// Writes the status.
    func publish(_ status: WALReceiverStatus) throws(ActionFailure) {
        try ClusterTools(context: context).attrdUpdate(attribute, status.rawValue)
    }

    /// Stop and demote: deletes the attribute, in one attempt (a stop must not wait on attrd).
    func withdraw() throws(ActionFailure) {
        try ClusterTools(context: context).attrdUpdate(attribute, nil, retrying: false)
    }

    /// The same, for plain and slave mode: a failure is only logged.
    func withdrawLoggingFailure() {
        do { try withdraw() } catch { context.logger.warning("Cannot delete \(attribute): \(error.reason)") }
    }
}
