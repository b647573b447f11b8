import Exec
import OCF
import Postgres
import Replication

/// Runs SQL against the local instance the way the monitor does: as `monitor_user` (or pgdba), to
/// `pgdb`, through `pghost` or `socketdir`, with the OS identity of pgdba for peer authentication.
struct DatabaseHealth {
    let context: AgentContext

    var connectionParameters: [(String, String)] {
        let p = context.parameters
        var list: [(String, String)] = [
            ("port", String(p.pgport)),
            ("dbname", p.pgdb),
            ("user", p.effectiveMonitorUser),
            ("application_name", AgentMetaData.agentName),
        ]
        if let host = p.pghost ?? p.socketdir { list.append(("host", host)) }
        if let password = p.monitorPassword { list.append(("password", password)) }
        if context.environment["PGPASSFILE"] == nil {
            list.append(("passfile", context.owner.home + "/.pgpass"))
        }
        return list
    }

    /// Runs `sql` and returns the rows of its last result.
    func query(_ sql: String, until deadline: Deadline) throws(PostgresError) -> [[String?]] {
        let connection = try Connection.open(connectionParameters, as: context.owner, until: deadline)
        return try connection.query(sql, until: deadline)
    }

    /// Runs `monitor_sql`; with `receiver`, then asks on the same connection for the WAL receiver's
    /// state (check_wal_receiver): nil when there is nothing to report, ERROR for an unexpected answer.
    @discardableResult
    func check(until deadline: Deadline, receiver: Bool = false) throws(PostgresError) -> WALReceiverStatus? {
        let connection = try Connection.open(connectionParameters, as: context.owner, until: deadline)
        _ = try connection.query(context.parameters.monitorSQL, until: deadline)
        guard receiver else { return nil }
        let query = WALReceiverReport.query(pgdata: context.parameters.pgdata)
        guard let answer = WALReceiverStatus.parse(try connection.query(query, until: deadline)) else { return .error }
        return WALReceiverStatus(inRecovery: answer.inRecovery, receiver: answer.receiver)
    }
}
