#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres
import Replication
import Testing

@testable import Agent

/// Plain-mode `monitor` and `status` against a stand-in postmaster: liveness from `postmaster.pid` and
/// the kernel, then `monitor_sql`; check_wal_receiver's attribute; and the exit codes of each case.
@Suite struct MonitorActionTests {
    enum Postmaster: String, CaseIterable {
        case none, stalePidFile, running, linkedPidFile, linkedPidFileWithPostmaster
    }

    /// Sets up the data directory; returns the stand-in and the scratch directory of its program.
    static func prepare(_ h: ReplicationHarness, _ postmaster: Postmaster) throws -> (StandInPostmaster?, Scratch?) {
        switch postmaster {
        case .none:
            return (nil, nil)
        case .stalePidFile:
            StandInPostmaster.writePidFile(h.pgdata, getpid())
            return (nil, nil)
        case .running:
            return (try StandInPostmaster(in: h.pgdata), nil)
        case .linkedPidFile:
            #expect(symlink("/etc/hostname", h.pgdata + "/postmaster.pid") == 0)
            return (nil, nil)
        case .linkedPidFileWithPostmaster:
            let bin = try StandInPostmaster.postgresProgram()
            let stand = try StandInPostmaster(in: h.pgdata, program: bin.path + "/postgres", pidFile: false)
            #expect(symlink("/etc/hostname", h.pgdata + "/postmaster.pid") == 0)
            return (stand, bin)
        }
    }

    @Test(
        arguments: [
            (Postmaster.none, OCFExitCode.notRunning), (.stalePidFile, .notRunning), (.running, .success),
            (.linkedPidFile, .notRunning), (.linkedPidFileWithPostmaster, .success),
        ])
    func statusIsTheLivenessOfThePostmaster(_ postmaster: Postmaster, _ code: OCFExitCode) throws {
        let h = ReplicationHarness.plain()
        let (stand, bin) = try MonitorActionTests.prepare(h, postmaster)
        defer {
            stand?.end()
            bin?.remove()
        }
        #expect(try MonitorAction(context: h.agentContext(.status)).status() == code)
        #expect(h.log.entries.isEmpty, "status runs no SQL: \(h.log.entries)")
    }

    @Test(arguments: [Postmaster.none, .stalePidFile, .linkedPidFile])
    func aStoppedServerIsNotRunningAndItsReceiverAnError(_ postmaster: Postmaster) throws {
        let h = ReplicationHarness.plain(["OCF_RESKEY_check_wal_receiver": "true"])
        _ = try MonitorActionTests.prepare(h, postmaster)
        #expect(try MonitorAction(context: h.agentContext(.monitor)).monitor() == .notRunning)
        #expect(h.log.entries == ["attrd_updater pgsql-receiver-status[pgn1]=ERROR"])
    }

    @Test func aProbeOfAStoppedServerWritesNothing() throws {
        let h = ReplicationHarness.plain(["OCF_RESKEY_check_wal_receiver": "true", "OCF_RESKEY_CRM_meta_interval": "0"])
        #expect(try MonitorAction(context: h.agentContext(.monitor)).monitor() == .notRunning)
        #expect(h.log.entries.isEmpty)
    }

    @Test func aPidFileThatIsNoFileWhileAPostmasterRunsFailsTheMonitor() throws {
        let h = ReplicationHarness.plain()
        let (stand, bin) = try MonitorActionTests.prepare(h, .linkedPidFileWithPostmaster)
        defer {
            stand?.end()
            bin?.remove()
        }
        let pid = try #require(stand?.pid)
        let error = #expect(throws: ActionFailure.self) {
            try MonitorAction(context: h.agentContext(.monitor)).monitor()
        }
        #expect(error?.code == .genericError)
        #expect(
            error?.reason
                == "\(h.pgdata)/postmaster.pid is a symbolic link, not a regular file, but a postmaster (PID \(pid)) runs for \(h.pgdata)"
        )
        #expect(h.log.entries.isEmpty)
    }

    @Test func aRunningServerThatAnswersIsRunning() throws {
        let h = ReplicationHarness.plain()
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        #expect(try MonitorAction(context: h.agentContext(.monitor)).monitor() == .success)
        #expect(h.log.entries == ["monitor_sql"])
    }

    @Test(arguments: [WALReceiverStatus.normal, .error])
    func checkWALReceiverPublishesTheReceiversState(_ status: WALReceiverStatus) throws {
        let h = ReplicationHarness.plain(["OCF_RESKEY_check_wal_receiver": "true"])
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        h.monitorSQL.answer = { _ in .success(status) }
        #expect(try MonitorAction(context: h.agentContext(.monitor)).monitor() == .success)
        #expect(
            h.log.entries == ["monitor_sql receiver", "attrd_updater pgsql-receiver-status[pgn1]=\(status.rawValue)"])
        #expect(h.agentLog.contains("WAL receiver is not streaming") == (status == .error))
    }

    @Test func aRunningServerThatDoesNotAnswerFailsTheMonitor() throws {
        let h = ReplicationHarness.plain()
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        h.monitorSQL.answer = { _ in .failure(PostgresError(.query, "ERROR:  relation \"x\" does not exist")) }
        let error = #expect(throws: ActionFailure.self) {
            try MonitorAction(context: h.agentContext(.monitor)).monitor()
        }
        #expect(error?.code == .genericError)
        #expect(
            error?.reason == "PostgreSQL template1 isn't answering monitor_sql: ERROR:  relation \"x\" does not exist")
    }

    @Test func aServerThatWentDownDuringTheMonitorIsNotRunning() throws {
        let h = ReplicationHarness.plain()
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        h.monitorSQL.answer = { _ in
            postmaster.end()
            return .failure(FakeMonitorSQL.refused)
        }
        #expect(try MonitorAction(context: h.agentContext(.monitor)).monitor() == .notRunning)
        #expect(h.agentLog.contains("PostgreSQL went down during the monitor"))
    }

    /// The real check through libpq, with no server listening on the socket directory.
    @Test func libpqWithoutAServerIsAnExitReason() throws {
        let h = ReplicationHarness.plain([
            "OCF_RESKEY_socketdir": "/nonexistent-pgsql-swift-unit", "OCF_RESKEY_pgport": "5499",
        ])
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        let context = try h.agentContext(.monitor, seconds: 5)
        context.monitorSQL = LibpqMonitorSQL()
        let error = #expect(throws: ActionFailure.self) { try MonitorAction(context: context).monitor() }
        let reason = error?.reason ?? ""
        #expect(reason.hasPrefix("PostgreSQL template1 isn't answering monitor_sql: "), "\(reason)")
        #expect(reason.contains("/nonexistent-pgsql-swift-unit/.s.PGSQL.5499"), "libpq's message: \(reason)")
        #expect(!reason.contains("s3cret-password"))
    }

    /// A failed attribute write only warns, as in the shell agent: the monitor's answer stands.
    @Test func aReceiverStatusThatCannotBeWrittenOnlyWarns() throws {
        let h = ReplicationHarness.plain(["OCF_RESKEY_check_wal_receiver": "true"])
        h.cluster.failWrite = { _, _, _ in true }
        #expect(try MonitorAction(context: h.agentContext(.monitor, seconds: 1)).monitor() == .notRunning)
        #expect(h.log.entries == ["attrd_updater pgsql-receiver-status[pgn1]=ERROR FAILED"])
        #expect(h.agentLog.contains("WARNING: Cannot set the WAL receiver status: giving up on attrd_updater"))
    }
}
