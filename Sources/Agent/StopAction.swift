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
///
/// pg_ctl is asked first, as the shell agent does. When it cannot be used (``PgCtl`` refuses a
/// `PG_VERSION` or `postmaster.pid` that is not a regular file, it fails or does not finish within
/// 5 s), the postmaster gets the same signal pg_ctl sends (SIGINT for fast, SIGQUIT for immediate).
/// A `postmaster.pid` that is not a regular file is neither read nor removed: the postmasters are then
/// the processes found by their working directory (``ServerProcess/postmasters(of:)``); none means
/// PostgreSQL is stopped, and a stop that cannot list the processes fails at once with a reason.
/// They get the signals only, and since such a postmaster blocks on its pid file in its shutdown
/// handler (PostgreSQL 15 reads the file to write "stopping" into it), one still alive after half of
/// the remaining time (at most 5 s) of `-m immediate` is killed (SIGKILL) with its children: that
/// leaves the data as `-m immediate` does, where failing the stop would mean fencing.
public struct StopAction {
    let context: AgentContext

    public init(context: AgentContext) {
        self.context = context
    }

    public func run(escalateAfter configuredEscalation: Int) throws(ActionFailure) -> OCFExitCode {
        let p = context.parameters
        let pidPath = p.pgdata + "/postmaster.pid"
        let postmasters: [Int32]
        var signalsOnly = false
        switch ServerProcess.state(dataDirectory: p.pgdata) {
        case .notRunning:
            context.logger.info("PostgreSQL is already stopped")
            return .success
        case .stalePidFile:
            context.logger.info("PostgreSQL is already stopped; removing the stale postmaster.pid")
            unlink(pidPath)
            return .success
        case .running(let file):
            postmasters = [file.pid]
        case .unreadablePidFile(let reason, nil):
            throw ActionFailure(
                .genericError, "\(pidPath) \(reason), and /proc cannot be read: cannot tell whether PostgreSQL runs")
        case .unreadablePidFile(let reason, let found?):
            guard !found.isEmpty else {
                context.logger.warning(
                    "\(pidPath) \(reason); no postmaster runs for \(p.pgdata), so PostgreSQL is stopped"
                        + " (the file is left as it is)")
                return .success
            }
            let pids = found.map(String.init).joined(separator: " ")
            context.logger.warning(
                "\(pidPath) \(reason); stopping the postmaster found by its working directory (PID \(pids))"
                    + " with signals")
            postmasters = found
            signalsOnly = true
        }

        let escalation = StopAction.escalationSeconds(
            configured: configuredEscalation, timeoutMilliseconds: context.ocf.timeoutMilliseconds)
        if escalation != configuredEscalation {
            context.logger.info(
                "stop_escalate(or stop_escalate_in_slave) time is adjusted to \(escalation) based on the configured timeout.")
        }
        if escalation > 0 {
            request(.fast, postmasters, signalsOnly: signalsOnly)
            if waitForExit(postmasters, until: context.deadline.capped(at: .seconds(escalation))) {
                return finished()
            }
            context.logger.info("PostgreSQL failed to stop after \(escalation)s using -m fast. Trying -m immediate...")
        }
        request(.immediate, postmasters, signalsOnly: signalsOnly)
        // Without a regular pid file the postmaster may never finish: it blocks reading a FIFO there
        // in its shutdown handler. Half of the time left (at most 5 s) goes to -m immediate, then
        // the postmaster and its children are killed.
        let killAfter = min(Duration.seconds(5), context.deadline.remaining / 2)
        let immediateDeadline = signalsOnly ? context.deadline.capped(at: killAfter) : context.deadline
        if waitForExit(postmasters, until: immediateDeadline) {
            return finished()
        }
        if signalsOnly && killWithChildren(postmasters) {
            return finished()
        }
        let pids = postmasters.map(String.init).joined(separator: " ")
        throw ActionFailure(
            .genericError, "PostgreSQL (pid \(pids)) did not stop before the stop timeout, even with -m immediate")
    }

    /// The shell agent's rule: an escalation at least as long as the timeout is cut to timeout − 10 s.
    static func escalationSeconds(configured: Int, timeoutMilliseconds: Int?) -> Int {
        guard let timeoutMilliseconds else { return configured }
        let timeout = timeoutMilliseconds / 1000
        return configured >= timeout ? timeout - 10 : configured
    }

    /// `pg_ctl stop -m <mode>`, or its signal sent directly when pg_ctl cannot do it.
    private func request(_ mode: PgCtl.ShutdownMode, _ postmasters: [Int32], signalsOnly: Bool) {
        if !signalsOnly {
            do {
                let result = try context.pgCtl.stop(mode, until: context.deadline.capped(at: .seconds(5)))
                if result.succeeded { return }
                context.logger.warning(
                    "pg_ctl stop -m \(mode.rawValue) failed: \(result.combinedOutput); \(StopAction.fallback)")
            } catch {
                context.logger.warning(
                    "pg_ctl stop -m \(mode.rawValue) was not run to completion: \(error); \(StopAction.fallback)")
            }
        }
        for pid in postmasters where ServerProcess.isAlive(pid) {
            if Glibc.kill(pid, mode.signal) != 0 {
                context.logger.warning("Cannot signal the postmaster (PID \(pid)): errno \(errno)")
            }
        }
    }

    static let fallback = "signalling the postmaster directly"

    /// SIGKILL to the postmasters and their children; whether all of them are gone before the deadline.
    ///
    /// The children are taken before the postmasters die, while they are still theirs. The data are
    /// left as after `-m immediate`: every server process is gone, and the next start recovers.
    private func killWithChildren(_ postmasters: [Int32]) -> Bool {
        let children = postmasters.flatMap { ServerProcess.children(of: $0) }
        let pids = postmasters.map(String.init).joined(separator: " ")
        context.logger.warning(
            "PostgreSQL (PID \(pids)) did not stop with -m immediate; killing it and its \(children.count)"
                + " children (SIGKILL)")
        for pid in postmasters + children where ServerProcess.isAlive(pid) { _ = Glibc.kill(pid, SIGKILL) }
        return waitForExit(postmasters + children, until: context.deadline)
    }

    private func waitForExit(_ pids: [Int32], until deadline: Deadline) -> Bool {
        while pids.contains(where: ServerProcess.isAlive) {
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
