#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres
import Replication
import Testing

@testable import Agent

/// `start` in rep_mode sync: always as a hot standby of master_ip, never over `PGSQL.lock`; the
/// attributes it resets in order, the recovery files it writes, and what it makes of the server.
@Suite struct ReplicationStartActionTests {
    /// pgn1 stopped (last a sync standby), pgn2 the primary; a fake pg_ctl and a standby's answers.
    static func stoppedStandby(_ extra: [String: String] = [:]) -> (ReplicationHarness, FakePgCtl) {
        let h = ReplicationHarness(
            nodes: [
                "pgn1": .init(
                    attributes: Attributes.syncStandby().merging([
                        "pgsql-master-baseline": "0000000003000000", "pgsql-xlog-loc": "0000000003000000",
                    ]) { $1 }),
                "pgn2": .init(attributes: Attributes.primary(), role: "Promoted"),
            ], extra: extra)
        h.server.isRunning = false
        h.server.answer = { sql in
            if sql.contains("pg_is_in_recovery") { return [["t"]] }
            if sql.hasPrefix("show synchronous_standby_names") { return [[""]] }
            return sql.contains("pg_replication_slots") ? [["1"]] : []
        }
        h.setFile("xlog_note.1", "0000000003000000\n")
        let pgCtl = FakePgCtl(pgdata: h.pgdata)
        pgCtl.watched = ["postmaster.pid", "standby.signal"]
        h.cluster.programs["pg_ctl"] = pgCtl.script
        return (h, pgCtl)
    }

    @Test func aStandbyStartsWithFreshRecoveryFilesAndResetAttributes() throws {
        let (h, pgCtl) = ReplicationStartActionTests.stoppedStandby()
        defer { pgCtl.end() }
        #expect(try ReplicationStartAction(r: h.context(.start)).run() == .success)
        #expect(
            h.log.matching("crm_attribute") == [
                "crm_attribute pgsql-status[pgn1]=STOP", "crm_attribute pgsql-master-baseline[pgn1]=<deleted>",
                "crm_attribute master-pgsql[pgn1]=-INFINITY", "crm_attribute pgsql-xlog-loc[pgn1]=<deleted>",
                "crm_attribute pgsql-status[pgn1]=HS:alone",
            ])
        let start = try #require(h.log.index(of: "run pg_ctl"))
        let xlog = try #require(h.log.index(of: "crm_attribute pgsql-xlog-loc"))
        #expect(xlog < start, "\(h.log.entries)")
        #expect(pgCtl.filesAtStart == [["standby.signal"]], "started as a standby")
        #expect(
            h.file("recovery.conf")
                == "primary_conninfo = 'host=127.0.0.1 port=5432 user=postgres application_name=pgn1'\n"
                + "restore_command = ''\nrecovery_target_timeline = 'latest'\n")
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = ''\n")
        #expect(
            ReplicationHarness.contents(of: h.pgdata + "/postgresql.conf")
                == "include '\(h.tmpdir)/rep_mode.conf' # added by pgsql RA\n"
                + "include '\(h.tmpdir)/recovery.conf' # added by pgsql RA\n")
        #expect(h.file("xlog_note.1") == nil)
        #expect(
            h.log.matching("sql") == ["sql select pg_is_in_recovery()", "sql show synchronous_standby_names"])
    }

    @Test func aStartOverPGSQLLockIsRefusedBeforePgCtlRuns() throws {
        let (h, pgCtl) = ReplicationStartActionTests.stoppedStandby()
        defer { pgCtl.end() }
        h.setFile("PGSQL.lock", "")
        let error = #expect(throws: ActionFailure.self) { try ReplicationStartAction(r: h.context(.start)).run() }
        #expect(error?.code == .genericError)
        #expect(
            error?.reason
                == "My data may be inconsistent. You have to remove \(h.tmpdir)/PGSQL.lock file to force start.")
        #expect(pgCtl.starts.isEmpty)
        #expect(h.cluster.attribute("pgn1", "pgsql-status") == "STOP")
        #expect(h.cluster.attribute("pgn1", "master-pgsql") == "-INFINITY")
        #expect(h.file("PGSQL.lock") == "", "the lock stays")
    }

    /// Before PostgreSQL 12 the settings go to PGDATA/recovery.conf with standby_mode, no signal file.
    @Test func anOldServerGetsRecoveryConfInItsDataDirectory() throws {
        let (h, pgCtl) = ReplicationStartActionTests.stoppedStandby(["OCF_RESKEY_replication_slot_name": "s"])
        defer { pgCtl.end() }
        ReplicationHarness.write(h.pgdata + "/PG_VERSION", "11\n")
        #expect(try ReplicationStartAction(r: h.context(.start)).run() == .success)
        #expect(
            ReplicationHarness.contents(of: h.pgdata + "/recovery.conf")
                == "primary_conninfo = 'host=127.0.0.1 port=5432 user=postgres application_name=pgn1'\n"
                + "restore_command = ''\nrecovery_target_timeline = 'latest'\nstandby_mode = 'on'\n"
                + "primary_slot_name = 's_pgn1'\n")
        #expect(pgCtl.filesAtStart == [[]], "no standby.signal")
        #expect(h.file("recovery.conf") == nil)
        #expect(
            ReplicationHarness.contents(of: h.pgdata + "/postgresql.conf")
                == "include '\(h.tmpdir)/rep_mode.conf' # added by pgsql RA\n")
        #expect(
            h.log.matching("sql select pg_drop") == [
                "sql select pg_drop_replication_slot('s_pgn1')", "sql select pg_drop_replication_slot('s_pgn2')",
            ], "a standby keeps no slots")
    }

    @Test func aServerThatStartsAsAPrimaryFailsTheStart() throws {
        let (h, pgCtl) = ReplicationStartActionTests.stoppedStandby()
        defer { pgCtl.end() }
        h.server.answer = { sql in sql.contains("pg_is_in_recovery") ? [["f"]] : [] }
        let error = #expect(throws: ActionFailure.self) { try ReplicationStartAction(r: h.context(.start)).run() }
        #expect(error?.reason == "PostgreSQL started as a primary, not as a standby of 127.0.0.1")
        #expect(h.cluster.attribute("pgn1", "pgsql-status") == "STOP")
    }

    @Test func synchronousStandbyNamesInPostgresqlConfIsAConfigurationError() throws {
        let (h, pgCtl) = ReplicationStartActionTests.stoppedStandby()
        defer { pgCtl.end() }
        h.server.answer = { sql in sql.contains("pg_is_in_recovery") ? [["t"]] : [["pgn2"]] }
        let error = #expect(throws: ActionFailure.self) { try ReplicationStartAction(r: h.context(.start)).run() }
        #expect(error?.code == .notConfigured)
        #expect(error?.reason == "Invalid synchronous_standby_names is set in postgresql.conf.")
    }

    @Test(arguments: [true, false])
    func aRunningServerIsKeptIfItIsAStandby(_ standby: Bool) throws {
        let (h, pgCtl) = ReplicationStartActionTests.stoppedStandby()
        h.server.isRunning = true
        h.server.answer = { _ in [[standby ? "t" : "f"]] }
        if standby {
            #expect(try ReplicationStartAction(r: h.context(.start)).run() == .success)
            #expect(h.log.matching("crm_attribute") == ["crm_attribute pgsql-status[pgn1]=HS:alone"])
        } else {
            let error = #expect(throws: ActionFailure.self) { try ReplicationStartAction(r: h.context(.start)).run() }
            #expect(error?.reason == "PostgreSQL is already running as a primary; it cannot start as a standby")
            #expect(h.log.matching("crm_attribute").isEmpty)
        }
        #expect(pgCtl.starts.isEmpty)
        #expect(h.file("recovery.conf") == nil)
    }

    @Test func aRecoveryConfThatCannotBeRemovedFailsTheStartBeforePgCtl() throws {
        let (h, pgCtl) = ReplicationStartActionTests.stoppedStandby()
        #expect(mkdir(h.tmpdir + "/recovery.conf", 0o700) == 0)
        let error = #expect(throws: ActionFailure.self) { try ReplicationStartAction(r: h.context(.start)).run() }
        #expect(error?.code == .genericError)
        #expect(error?.reason == "remove \(h.tmpdir)/recovery.conf failed: Is a directory")
        #expect(pgCtl.starts.isEmpty)
    }
}
