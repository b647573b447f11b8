#if canImport(Glibc)
    import Glibc
#endif
import Exec
public import OCF
import Postgres

/// `stop` in plain mode: a fast shutdown, escalated to immediate after `stop_escalate` seconds.
///
/// Stopping a stopped instance succeeds. The agent never returns before the postmaster is gone, and
/// never waits past the action's deadline: if the server is still there then, the stop fails with
/// a reason instead of hanging until Pacemaker's timeout.
public struct StopAction {
    let context: AgentContext

    public init(context: AgentContext) {
        self.context = context
    }

    public func run(escalateAfter configuredEscalation: Int) throws(ActionFailure) -> OCFExitCode {
        let p = context.parameters
        let pidFile: PostmasterPidFile
        switch ServerProcess.state(dataDirectory: p.pgdata) {
        case .notRunning:
            context.logger.info("PostgreSQL is already stopped")
            return .success
        case .stalePidFile:
            context.logger.info("PostgreSQL is already stopped; removing the stale postmaster.pid")
            unlink(p.pgdata + "/postmaster.pid")
            return .success
        case .running(let file):
            pidFile = file
        }

        let escalation = StopAction.escalationSeconds(
            configured: configuredEscalation, timeoutMilliseconds: context.ocf.timeoutMilliseconds)
        if escalation != configuredEscalation {
            context.logger.info(
                "stop_escalate(or stop_escalate_in_slave) time is adjusted to \(escalation) based on the configured timeout.")
        }
        let pgCtl = context.pgCtl
        if escalation > 0 {
            request(.fast, pgCtl)
            if waitForExit(pidFile.pid, until: context.deadline.capped(at: .seconds(escalation))) {
                return finished()
            }
            context.logger.info("PostgreSQL failed to stop after \(escalation)s using -m fast. Trying -m immediate...")
        }
        request(.immediate, pgCtl)
        if waitForExit(pidFile.pid, until: context.deadline) {
            return finished()
        }
        throw ActionFailure(
            .genericError, "PostgreSQL (pid \(pidFile.pid)) did not stop before the stop timeout, even with -m immediate")
    }

    /// The shell agent's rule: an escalation at least as long as the timeout is cut to timeout − 10 s.
    static func escalationSeconds(configured: Int, timeoutMilliseconds: Int?) -> Int {
        guard let timeoutMilliseconds else { return configured }
        let timeout = timeoutMilliseconds / 1000
        return configured >= timeout ? timeout - 10 : configured
    }

    private func request(_ mode: PgCtl.ShutdownMode, _ pgCtl: PgCtl) {
        do {
            let result = try pgCtl.stop(mode, until: context.deadline)
            if !result.succeeded {
                context.logger.warning("pg_ctl stop -m \(mode.rawValue) failed: \(result.combinedOutput)")
            }
        } catch {
            context.logger.warning("pg_ctl stop -m \(mode.rawValue) could not run: \(error)")
        }
    }

    private func waitForExit(_ pid: Int32, until deadline: Deadline) -> Bool {
        while ServerProcess.isAlive(pid) {
            if deadline.isExpired { return false }
            deadline.sleep(.milliseconds(100))
        }
        return true
    }

    private func finished() -> OCFExitCode {
        let pidPath = context.parameters.pgdata + "/postmaster.pid"
        if case .stalePidFile = ServerProcess.state(dataDirectory: context.parameters.pgdata) { unlink(pidPath) }
        context.logger.info("PostgreSQL is down")
        return .success
    }
}
