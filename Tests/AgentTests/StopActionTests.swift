#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres
import Testing

@testable import Agent

/// Plain-mode `stop` against a stand-in postmaster: `pg_ctl stop -m fast`, escalated to `-m immediate`,
/// signals when pg_ctl cannot do it, and never past the deadline.
@Suite struct StopActionTests {
    static func stopArguments(_ h: ReplicationHarness, _ mode: String) -> String {
        "run pg_ctl -W -D \(h.pgdata) stop -m \(mode)"
    }

    /// pg_ctl that makes the stand-in exit (killed, then reaped) on the given shutdown modes.
    static func pgCtl(_ h: ReplicationHarness, stopping postmaster: StandInPostmaster, on modes: Set<String>) {
        h.cluster.programs["pg_ctl"] = { arguments in
            if let mode = arguments.last, modes.contains(mode) {
                postmaster.signal(SIGKILL)
                postmaster.reap()
            }
            return .success(CommandResult(termination: .exited(0), standardOutput: "", standardError: ""))
        }
    }

    @Test func stoppingAStoppedInstanceSucceedsWithoutPgCtl() throws {
        let h = ReplicationHarness.plain()
        #expect(try StopAction(context: h.agentContext(.stop)).run(escalateAfter: 90) == .success)
        #expect(h.log.entries.isEmpty, "\(h.log.entries)")
        #expect(h.agentLog.contains("PostgreSQL is already stopped"))
    }

    /// Our own pid is alive but its working directory is not the data directory: not a postmaster.
    @Test func aStalePidFileIsRemovedWithoutPgCtl() throws {
        let h = ReplicationHarness.plain()
        StandInPostmaster.writePidFile(h.pgdata, getpid())
        #expect(try StopAction(context: h.agentContext(.stop)).run(escalateAfter: 90) == .success)
        #expect(!TextFile.exists(h.pgdata + "/postmaster.pid"))
        #expect(h.log.entries.isEmpty, "\(h.log.entries)")
    }

    @Test func aFastShutdownThatWorksNeedsNoEscalation() throws {
        let h = ReplicationHarness.plain()
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        StopActionTests.pgCtl(h, stopping: postmaster, on: ["fast"])
        #expect(try StopAction(context: h.agentContext(.stop)).run(escalateAfter: 5) == .success)
        #expect(h.log.entries == [StopActionTests.stopArguments(h, "fast")])
        #expect(!TextFile.exists(h.pgdata + "/postmaster.pid"), "the dead postmaster's pid file is removed")
        #expect(h.agentLog.contains("PostgreSQL is down"))
    }

    @Test func aServerThatIgnoresFastShutdownGetsImmediateAfterStopEscalate() throws {
        let h = ReplicationHarness.plain()
        let postmaster = try StandInPostmaster(in: h.pgdata, blocking: [SIGINT, SIGQUIT, SIGTERM])
        defer { postmaster.end() }
        StopActionTests.pgCtl(h, stopping: postmaster, on: ["immediate"])
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try StopAction(context: h.agentContext(.stop)).run(escalateAfter: 1) == .success)
        #expect(clock.now - start >= .seconds(1), "fast had its stop_escalate second")
        #expect(
            h.log.entries == [StopActionTests.stopArguments(h, "fast"), StopActionTests.stopArguments(h, "immediate")])
        #expect(h.agentLog.contains("PostgreSQL failed to stop after 1s using -m fast. Trying -m immediate..."))
    }

    /// stop_escalate 90 with a 10 s timeout is cut to 0: immediate at once (the shell agent's rule).
    @Test func anEscalationLongerThanTheTimeoutGoesStraightToImmediate() throws {
        let h = ReplicationHarness.plain()
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        StopActionTests.pgCtl(h, stopping: postmaster, on: ["fast", "immediate"])
        #expect(try StopAction(context: h.agentContext(.stop)).run(escalateAfter: 90) == .success)
        #expect(h.log.entries == [StopActionTests.stopArguments(h, "immediate")])
        #expect(h.agentLog.contains("time is adjusted to 0 based on the configured timeout"))
    }

    @Test func aServerThatNeverStopsFailsTheStopAtTheDeadline() throws {
        let h = ReplicationHarness.plain()
        let postmaster = try StandInPostmaster(in: h.pgdata, blocking: [SIGINT, SIGQUIT, SIGTERM])
        defer { postmaster.end() }
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: ActionFailure.self) {
            try StopAction(context: h.agentContext(.stop, seconds: 0.2)).run(escalateAfter: 0)
        }
        #expect(clock.now - start < .seconds(3), "bounded by the deadline")
        #expect(error?.code == .genericError)
        #expect(
            error?.reason
                == "PostgreSQL (pid \(postmaster.pid)) did not stop before the stop timeout, even with -m immediate")
        #expect(h.log.entries == [StopActionTests.stopArguments(h, "immediate")])
        #expect(ServerProcess.isAlive(postmaster.pid), "nothing but pg_ctl was tried: the pid file is regular")
        #expect(TextFile.exists(h.pgdata + "/postmaster.pid"))
    }

    /// pg_ctl that fails or cannot be run: the postmaster gets pg_ctl's signal (SIGINT for fast) directly.
    @Test(arguments: [true, false])
    func whenPgCtlFailsThePostmasterIsSignalledDirectly(_ launches: Bool) throws {
        let h = ReplicationHarness.plain()
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        h.cluster.programs["pg_ctl"] = { _ in
            guard launches else { return .failure(.launchFailed(executable: "/usr/bin/pg_ctl", errno: ENOENT)) }
            return .success(
                CommandResult(
                    termination: .exited(1), standardOutput: "", standardError: "pg_ctl: could not send stop signal"))
        }
        #expect(try StopAction(context: h.agentContext(.stop)).run(escalateAfter: 5) == .success)
        #expect(postmaster.reap())
        #expect(postmaster.endingSignal == SIGINT)
        #expect(h.log.entries == [StopActionTests.stopArguments(h, "fast")])
        #expect(h.agentLog.contains(StopAction.fallback))
        #expect(!TextFile.exists(h.pgdata + "/postmaster.pid"))
    }

    @Test func aPidFileThatIsNoFileAndNoPostmasterMeansStopped() throws {
        let h = ReplicationHarness.plain()
        #expect(symlink("/etc/hostname", h.pgdata + "/postmaster.pid") == 0)
        #expect(try StopAction(context: h.agentContext(.stop)).run(escalateAfter: 5) == .success)
        #expect(h.log.entries.isEmpty, "pg_ctl would follow the link")
        #expect(FileKind.of(h.pgdata + "/postmaster.pid") == .symbolicLink, "the link is left as it is")
    }

    /// Without a regular pid file, the postmaster found by its working directory gets the signals
    /// only; one that ignores them is killed once -m immediate has had half of the remaining time.
    @Test(arguments: [false, true])
    func aPostmasterFoundByItsDirectoryIsStoppedWithSignals(_ ignoresSignals: Bool) throws {
        let h = ReplicationHarness.plain()
        let bin = try StandInPostmaster.postgresProgram()
        defer { bin.remove() }
        let postmaster = try StandInPostmaster(
            in: h.pgdata, program: bin.path + "/postgres", blocking: ignoresSignals ? [SIGINT, SIGQUIT] : [],
            pidFile: false)
        defer { postmaster.end() }
        #expect(symlink("/etc/hostname", h.pgdata + "/postmaster.pid") == 0)
        #expect(try StopAction(context: h.agentContext(.stop, seconds: 0.6)).run(escalateAfter: 0) == .success)
        #expect(postmaster.reap())
        #expect(postmaster.endingSignal == (ignoresSignals ? SIGKILL : SIGQUIT))
        #expect(h.log.entries.isEmpty, "pg_ctl is not run: \(h.log.entries)")
        #expect(FileKind.of(h.pgdata + "/postmaster.pid") == .symbolicLink)
    }
}
