import Exec
import Postgres
import Replication

/// Whether the local server answers `monitor_sql`: what start waits for and the plain monitor asks;
/// with `receiver`, also its WAL receiver's state, read on the same connection.
///
/// The agent asks through libpq (``LibpqMonitorSQL``); unit tests put a stand-in into
/// ``AgentContext/monitorSQL``.
protocol MonitorSQL {
    func check(_ context: AgentContext, until deadline: Deadline, receiver: Bool) throws(PostgresError)
        -> WALReceiverStatus?
}

/// The real check: ``DatabaseHealth/check(until:receiver:)``.
struct LibpqMonitorSQL: MonitorSQL {
    func check(_ context: AgentContext, until deadline: Deadline, receiver: Bool) throws(PostgresError)
        -> WALReceiverStatus?
    {
        try DatabaseHealth(context: context).check(until: deadline, receiver: receiver)
    }
}
