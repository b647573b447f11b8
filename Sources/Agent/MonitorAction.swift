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
    public func status() throws(ActionFailure) -> OCFExitCode {
        switch ServerProcess.state(dataDirectory: context.parameters.pgdata) {
        case .running: return .success
        case .notRunning, .stalePidFile: return .notRunning
        case .unreadablePidFile(let reason, let postmasters):
            if try MonitorAction.noPostmaster(reason, postmasters, context) { return .notRunning }
            return .success
        }
    }

    /// Whether no postmaster runs when `postmaster.pid` is not a regular file.
    ///
    /// See ``ServerProcess/State/unreadablePidFile(reason:postmasters:)``. `true` (PostgreSQL is down,
    /// logged) when no postmaster runs for pgdata. A monitor throws when one does (the agent cannot
    /// manage a server whose pid file is not one) or when the processes cannot be listed; `status`
    /// reports a running one as running.
    static func noPostmaster(
        _ reason: String, _ postmasters: [Int32]?, _ context: AgentContext, monitor: Bool = false
    ) throws(ActionFailure) -> Bool {
        let pgdata = context.parameters.pgdata
        let pidPath = pgdata + "/postmaster.pid"
        guard let postmasters else {
            throw ActionFailure(
                .genericError, "\(pidPath) \(reason), and /proc cannot be read: cannot tell whether PostgreSQL runs")
        }
        if postmasters.isEmpty {
            context.logger.warning("\(pidPath) \(reason); no postmaster runs for \(pgdata): PostgreSQL is down")
            return true
        }
        let pids = postmasters.map(String.init).joined(separator: " ")
        let message = "\(pidPath) \(reason), but a postmaster (PID \(pids)) runs for \(pgdata)"
        guard monitor else {
            context.logger.warning(message)
            return false
        }
        throw ActionFailure(.genericError, message)
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
        case .unreadablePidFile(let reason, let postmasters):
            _ = try MonitorAction.noPostmaster(reason, postmasters, context, monitor: true)
            if !context.isProbe { reportReceiver(.error) }
            return .notRunning
        case .running:
            do {
                let checkReceiver = context.parameters.checkWALReceiver
                let receiver = try context.monitorSQL.check(context, until: context.deadline, receiver: checkReceiver)
                if let receiver { reportReceiver(receiver) }
                return .success
            } catch {
                guard ServerProcess.state(dataDirectory: context.parameters.pgdata).isRunning else {
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
