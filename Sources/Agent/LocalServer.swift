#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres

/// The local PostgreSQL server as the replication actions see it.
///
/// Whether its postmaster is alive, a configuration reload, and SQL on one lazily opened
/// connection. ``PostmasterServer`` is the real
/// one; unit tests use a recording fake.
protocol LocalServer: AnyObject {
    /// Whether a live postmaster runs for the data directory.
    var isRunning: Bool { get }
    /// Reloads the configuration of a running server (no-op when it does not run).
    func reload() throws(ActionFailure)
    /// Runs SQL and returns the rows of the last result.
    func query(_ sql: String) throws(ActionFailure) -> [[String?]]
    /// Closes the connection (before the server is stopped or restarted).
    func closeConnection()
}

/// The real server: `postmaster.pid` and the kernel, SIGHUP, libpq.
final class PostmasterServer: LocalServer {
    private let context: AgentContext
    private var connection: Connection?

    init(context: AgentContext) { self.context = context }

    var isRunning: Bool {
        if case .running = ServerProcess.state(dataDirectory: context.parameters.pgdata) { return true }
        return false
    }

    /// SIGHUP to the postmaster, what `pg_ctl reload` does.
    func reload() throws(ActionFailure) {
        guard case .running(let pidFile) = ServerProcess.state(dataDirectory: context.parameters.pgdata) else { return }
        guard kill(pidFile.pid, SIGHUP) == 0 else {
            throw ActionFailure(.genericError, "Can't reload configuration file (errno \(errno))")
        }
        context.logger.info("Reload configuration file.")
    }

    func query(_ sql: String) throws(ActionFailure) -> [[String?]] {
        do {
            let open: Connection
            if let connection {
                open = connection
            } else {
                open = try Connection.open(
                    DatabaseHealth(context: context).connectionParameters, as: context.owner, until: context.deadline)
                connection = open
            }
            return try open.query(sql, until: context.deadline)
        } catch {
            connection = nil
            throw ActionFailure(.genericError, "PostgreSQL query failed (\(sql)): \(error.message)")
        }
    }

    func closeConnection() { connection = nil }
}
