import Exec
public import OCF
import Postgres

/// `monitor` and `status` in plain mode: is the postmaster alive, and does `monitor_sql` answer?
public struct MonitorAction {
    let context: AgentContext

    public init(context: AgentContext) {
        self.context = context
    }

    /// `status`: the postmaster's liveness alone.
    public func status() -> OCFExitCode {
        switch ServerProcess.state(dataDirectory: context.parameters.pgdata) {
        case .running: return .success
        case .notRunning, .stalePidFile: return .notRunning
        }
    }

    public func monitor() throws(ActionFailure) -> OCFExitCode {
        switch ServerProcess.state(dataDirectory: context.parameters.pgdata) {
        case .notRunning:
            context.logger.info("PostgreSQL is down")
            return .notRunning
        case .stalePidFile:
            context.logger.info("PostgreSQL is down (stale postmaster.pid)")
            return .notRunning
        case .running:
            do {
                try DatabaseHealth(context: context).check(until: context.deadline)
                return .success
            } catch {
                guard case .running = ServerProcess.state(dataDirectory: context.parameters.pgdata) else {
                    context.logger.info("PostgreSQL went down during the monitor (\(error.message))")
                    return .notRunning
                }
                throw ActionFailure(
                    .genericError,
                    "PostgreSQL \(context.parameters.pgdb) isn't answering monitor_sql: \(error.message)")
            }
        }
    }
}
