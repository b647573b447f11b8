import Exec
import Postgres
import Replication

@testable import Agent

/// A stand-in for `monitor_sql` run through libpq: records each check in the shared ``EffectLog`` as
/// `monitor_sql` (`monitor_sql receiver` when the WAL receiver is asked too) and answers from a script.
final class FakeMonitorSQL: MonitorSQL {
    let log: EffectLog
    /// The answer to each check: the WAL receiver status to report, or the libpq failure to throw.
    var answer: (_ receiver: Bool) -> Result<WALReceiverStatus?, PostgresError> = { _ in .success(nil) }

    init(log: EffectLog) { self.log = log }

    func check(_ context: AgentContext, until deadline: Deadline, receiver: Bool) throws(PostgresError)
        -> WALReceiverStatus?
    {
        log.append(receiver ? "monitor_sql receiver" : "monitor_sql")
        return try answer(receiver).get()
    }

    /// What libpq says when no server listens.
    static let refused = PostgresError(.connection, "connection to server failed: Connection refused")
}
