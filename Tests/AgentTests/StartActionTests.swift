#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres
import Testing

@testable import Agent

/// Plain-mode `start` with a fake pg_ctl that launches a stand-in postmaster: the argv it gets, what
/// happens to an old `postmaster.pid`, the wait for `monitor_sql`, and the exit reasons of a failure.
@Suite struct StartActionTests {
    static func node(_ extra: [String: String] = [:]) -> (ReplicationHarness, FakePgCtl) {
        let h = ReplicationHarness.plain(extra)
        let pgCtl = FakePgCtl(pgdata: h.pgdata)
        h.cluster.programs["pg_ctl"] = pgCtl.script
        return (h, pgCtl)
    }

    @Test func startRunsPgCtlWithTheServerOptionsThenWaitsForMonitorSQL() throws {
        let (h, pgCtl) = StartActionTests.node([
            "OCF_RESKEY_ctl_opt": "-s", "OCF_RESKEY_start_opt": "-c work_mem=8MB", "OCF_RESKEY_pghost": "127.0.0.1",
        ])
        defer { pgCtl.end() }
        var attempts = 0
        h.monitorSQL.answer = { _ in
            attempts += 1
            return attempts == 1 ? .failure(FakeMonitorSQL.refused) : .success(nil)
        }
        #expect(try StartAction(context: h.agentContext(.start)).run() == .success)
        let arguments = try #require(pgCtl.starts.first)
        let config = h.pgdata + "/postgresql.conf"
        let waitSeconds = try #require(arguments.count == 11 ? Int(arguments[9]) : nil, "\(arguments)")
        #expect(
            arguments == [
                "-s", "-D", h.pgdata, "-l", "/dev/null", "-o", "-c config_file=\(config) -h 127.0.0.1 -c work_mem=8MB",
                "-w", "-t", String(waitSeconds), "start",
            ])
        #expect((1...10).contains(waitSeconds), "pg_ctl waits within the deadline")
        #expect(h.log.entries.dropFirst() == ["monitor_sql", "monitor_sql"], "\(h.log.entries)")
        let environment = try #require(h.cluster.environments.first)
        #expect(environment["PGPORT"] == "5432")
        #expect(!environment.keys.contains { $0.hasPrefix("OCF_RESKEY_") }, "\(environment.keys)")
        #expect(h.agentLog.contains("PostgreSQL is started."))
    }

    @Test func aRunningServerIsNotStartedAgain() throws {
        let (h, pgCtl) = StartActionTests.node()
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        #expect(try StartAction(context: h.agentContext(.start)).run() == .success)
        #expect(pgCtl.starts.isEmpty)
        #expect(h.log.entries == ["monitor_sql"])
        #expect(h.agentLog.contains("PostgreSQL is already running. PID=\(postmaster.pid)"))
    }

    /// Our own pid is alive, but its working directory is not the data directory.
    @Test func aStalePidFileIsRemovedBeforePgCtlStarts() throws {
        let (h, pgCtl) = StartActionTests.node()
        defer { pgCtl.end() }
        StandInPostmaster.writePidFile(h.pgdata, getpid())
        #expect(try StartAction(context: h.agentContext(.start)).run() == .success)
        #expect(pgCtl.filesAtStart == [[]])
        #expect(h.agentLog.contains("Removing the stale \(h.pgdata)/postmaster.pid"))
    }

    /// A killed postmaster its parent has not reaped still holds its pid: the start waits for the reaping.
    @Test func aStartWaitsUntilTheOldPostmasterIsReaped() throws {
        let (h, pgCtl) = StartActionTests.node()
        defer { pgCtl.end() }
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { free(argv[0]) }
        try #require(posix_spawn(&pid, "/bin/true", nil, nil, &argv, environ) == 0)
        var waited = 0
        while !ServerProcess.isZombie(pid) && waited < 300 {
            usleep(10_000)
            waited += 1
        }
        try #require(ServerProcess.isZombie(pid))
        StandInPostmaster.writePidFile(h.pgdata, pid)
        let zombie = pid
        var reapedAtStart: Bool?
        h.cluster.programs["pg_ctl"] = { arguments in
            reapedAtStart = kill(zombie, 0) != 0
            return pgCtl.script(arguments)
        }
        // The reaper is a thread of its own, not a task: the action blocks the test's thread.
        var reaper = pthread_t()
        let started = pthread_create(
            &reaper, nil,
            { argument in
                usleep(150_000)
                var status: Int32 = 0
                _ = waitpid(Int32(Int(bitPattern: argument)), &status, 0)
                return nil
            }, UnsafeMutableRawPointer(bitPattern: Int(zombie)))
        try #require(started == 0)
        defer { pthread_join(reaper, nil) }
        #expect(try StartAction(context: h.agentContext(.start)).run() == .success)
        #expect(reapedAtStart == true, "pg_ctl ran while the old postmaster was a zombie")
        #expect(pgCtl.filesAtStart == [[]])
        #expect(h.agentLog.contains("(PID \(zombie)) has exited but is not reaped yet"))
    }

    @Test func aPidFileThatIsNoFileKeepsTheServerFromStarting() throws {
        let (h, pgCtl) = StartActionTests.node()
        #expect(symlink("/etc/hostname", h.pgdata + "/postmaster.pid") == 0)
        let error = #expect(throws: ActionFailure.self) { try StartAction(context: h.agentContext(.start)).run() }
        #expect(error?.code == .genericError)
        #expect(
            error?.reason
                == "\(h.pgdata)/postmaster.pid is a symbolic link, not a regular file; not starting PostgreSQL"
                + " (remove it once no postmaster runs for \(h.pgdata))")
        #expect(pgCtl.starts.isEmpty)
        #expect(FileKind.of(h.pgdata + "/postmaster.pid") == .symbolicLink)
    }

    @Test func aServerThatExitsDuringStartUpFailsAtOnceQuotingItsLog() throws {
        let (h, pgCtl) = StartActionTests.node()
        defer { pgCtl.end() }
        let logfile = h.root + "/postgresql.log"
        ReplicationHarness.write(
            logfile, "LOG:  starting PostgreSQL 15\nFATAL:  could not map anonymous shared memory\n")
        h.environment["OCF_RESKEY_logfile"] = logfile
        h.monitorSQL.answer = { _ in
            pgCtl.postmasters.last?.end()
            return .failure(FakeMonitorSQL.refused)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: ActionFailure.self) { try StartAction(context: h.agentContext(.start)).run() }
        #expect(clock.now - start < .seconds(5), "no waiting for the timeout")
        #expect(
            error?.reason
                == "PostgreSQL exited during start-up: LOG:  starting PostgreSQL 15 | FATAL:  could not map anonymous shared memory"
        )
        #expect(h.log.matching("monitor_sql").count == 1)
    }

    @Test func aServerThatNeverAnswersFailsAtTheDeadline() throws {
        let (h, pgCtl) = StartActionTests.node()
        defer { pgCtl.end() }
        h.monitorSQL.answer = { _ in .failure(FakeMonitorSQL.refused) }
        let error = #expect(throws: ActionFailure.self) {
            try StartAction(context: h.agentContext(.start, seconds: 0.3)).run()
        }
        #expect(
            error?.reason
                == "PostgreSQL did not answer monitor_sql before the start timeout: \(FakeMonitorSQL.refused.message)")
        #expect(h.log.matching("monitor_sql").count >= 2, "retried until the deadline")
        #expect(pgCtl.postmasters.count == 1 && ServerProcess.isAlive(pgCtl.postmasters[0].pid), "left running")
    }

    /// pg_ctl fails and no postmaster runs: the reason quotes the server log, else pg_ctl's output.
    @Test(
        arguments: [
            (
                "FATAL:  data directory has wrong ownership\n", "pg_ctl: could not start server",
                "FATAL:  data directory has wrong ownership"
            ),
            (nil, "pg_ctl: could not start server", "pg_ctl: could not start server"),
            (nil, "", "pg_ctl ended with exited(1)"),
        ] as [(String?, String, String)])
    func aFailedStartSaysWhy(_ log: String?, _ output: String, _ reason: String) throws {
        let (h, pgCtl) = StartActionTests.node()
        if let log {
            ReplicationHarness.write(h.root + "/postgresql.log", log)
            h.environment["OCF_RESKEY_logfile"] = h.root + "/postgresql.log"
        }
        pgCtl.launches = false
        pgCtl.result = CommandResult(termination: .exited(1), standardOutput: "", standardError: output)
        let error = #expect(throws: ActionFailure.self) { try StartAction(context: h.agentContext(.start)).run() }
        #expect(error?.code == .genericError)
        #expect(error?.reason == "Can't start PostgreSQL: \(reason)")
        #expect(h.log.matching("monitor_sql").isEmpty)
    }

    @Test func aPgCtlFailureWithALivePostmasterWaitsForIt() throws {
        let (h, pgCtl) = StartActionTests.node()
        defer { pgCtl.end() }
        pgCtl.result = CommandResult(termination: .exited(1), standardOutput: "", standardError: "server starting")
        #expect(try StartAction(context: h.agentContext(.start)).run() == .success)
        #expect(h.agentLog.contains("pg_ctl start: server starting; the postmaster is alive, waiting for it"))
        #expect(h.log.matching("monitor_sql").count == 1)
    }

    @Test(
        arguments: [
            (
                CommandError.launchFailed(executable: "/usr/bin/pg_ctl", errno: ENOENT),
                "cannot run /usr/bin/pg_ctl (errno 2)"
            ),
            (.timedOut(executable: "/usr/bin/pg_ctl"), "/usr/bin/pg_ctl did not finish before the start timeout"),
        ])
    func pgCtlThatCannotBeRunFailsTheStart(_ failure: CommandError, _ reason: String) throws {
        let (h, pgCtl) = StartActionTests.node()
        pgCtl.failure = failure
        let error = #expect(throws: ActionFailure.self) { try StartAction(context: h.agentContext(.start)).run() }
        #expect(error?.reason == "Can't start PostgreSQL: \(reason)")
    }

    @Test func aFIFOAtPGVersionKeepsPgCtlFromRunning() throws {
        let (h, pgCtl) = StartActionTests.node()
        unlink(h.pgdata + "/PG_VERSION")
        #expect(mkfifo(h.pgdata + "/PG_VERSION", 0o600) == 0)
        let error = #expect(throws: ActionFailure.self) { try StartAction(context: h.agentContext(.start)).run() }
        #expect(error?.reason.hasPrefix("Can't start PostgreSQL: \(h.pgdata)/PG_VERSION is a FIFO") == true)
        #expect(h.log.entries.isEmpty && pgCtl.starts.isEmpty)
    }

    /// An old server's backup_label is a leftover of an exclusive backup; from 15 on it is a restored
    /// base backup's and must stay.
    @Test(arguments: [("14\n", false), ("15\n", true)])
    func aBackupLabelIsRemovedOnlyBeforePostgreSQL15(_ version: String, _ kept: Bool) throws {
        let (h, pgCtl) = StartActionTests.node()
        defer { pgCtl.end() }
        ReplicationHarness.write(h.pgdata + "/PG_VERSION", version)
        ReplicationHarness.write(h.pgdata + "/backup_label", "START WAL LOCATION: 0/2000028\n")
        #expect(try StartAction(context: h.agentContext(.start)).run() == .success)
        #expect(TextFile.exists(h.pgdata + "/backup_label") == kept)
        #expect(pgCtl.starts.count == 1)
    }
}
