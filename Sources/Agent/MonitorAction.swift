import Exec
public import OCF
import Postgres
import Replication

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
            if !context.isProbe { reportReceiver(.error) }
            return .notRunning
        case .stalePidFile:
            context.logger.info("PostgreSQL is down (stale postmaster.pid)")
            if !context.isProbe { reportReceiver(.error) }
            return .notRunning
        case .running:
            do {
                let checkReceiver = context.parameters.checkWALReceiver
                let receiver = try DatabaseHealth(context: context).check(until: context.deadline, receiver: checkReceiver)
                if let receiver { reportReceiver(receiver) }
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

    /// check_wal_receiver in plain and slave mode: the attribute is written on every monitor (there
    /// is no cluster view to compare with), and a failed write only warns, as in the shell agent. A
    /// probe that finds PostgreSQL down writes nothing: the resource may never run on this node.
    private func reportReceiver(_ status: WALReceiverStatus) {
        guard context.parameters.checkWALReceiver else { return }
        let report = WALReceiverReport(context: context)
        report.warnIfFailing(status)
        do { try report.publish(status) } catch {
            context.logger.warning("Cannot set the WAL receiver status: \(error.reason)")
        }
    }
}
