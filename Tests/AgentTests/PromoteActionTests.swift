#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres
import Replication
import Testing

@testable import Agent

/// `promote` of a standby: the exit reasons of a promotion that fails, and `restart_on_promote=true`,
/// where the standby is stopped, its standby.signal removed and PostgreSQL started again as the
/// primary, after the other nodes were marked and the lock written.
@Suite struct PromoteActionTests {
    static func restartingStandby() throws -> (ReplicationHarness, FakePgCtl) {
        let h = ReplicationHarness(
            nodes: [
                "pgn1": .init(attributes: Attributes.syncStandby(), role: "Unpromoted"),
                "pgn2": .init(attributes: ["pgsql-data-status": "LATEST", "master-pgsql": "100"], role: "Unpromoted"),
            ], extra: ["OCF_RESKEY_restart_on_promote": "true"])
        ReplicationHarness.write(h.pgdata + "/standby.signal", "")
        let pgCtl = FakePgCtl(pgdata: h.pgdata)
        pgCtl.watched = ["postmaster.pid", "standby.signal"]
        pgCtl.adopt(try StandInPostmaster(in: h.pgdata))
        h.cluster.programs["pg_ctl"] = pgCtl.script
        return (h, pgCtl)
    }

    @Test func theStandbyIsRestartedAsThePrimary() throws {
        let (h, pgCtl) = try PromoteActionTests.restartingStandby()
        defer { pgCtl.end() }
        let first = try #require(pgCtl.postmasters.first)
        h.server.answer = { sql in
            if sql.contains("pg_is_in_recovery") { return [[pgCtl.starts.isEmpty ? "t" : "f"]] }
            return sql.contains("replay") ? [["0/3000000", "0/3000000"]] : []
        }
        #expect(try PromoteAction(r: h.context(.promote)).run() == .success)
        let log = h.log
        let marked = try #require(log.index(of: "crm_attribute master-pgsql[pgn2]=-INFINITY"))
        let stop = try #require(log.index(of: "run pg_ctl -W -D \(h.pgdata) stop -m immediate"))
        let close = try #require(log.index(of: "close"))
        let start = try #require(log.entries.lastIndex { $0.hasPrefix("run pg_ctl") && $0.hasSuffix(" start") })
        #expect(marked < close && close < stop && stop < start, "\(log.entries)")
        #expect(log.matching("run pg_ctl").count == 2, "no pg_ctl promote: \(log.entries)")
        #expect(!ServerProcess.isAlive(first.pid), "the standby's postmaster was stopped")
        #expect(pgCtl.filesAtStart == [[]], "started without standby.signal and after the old postmaster's exit")
        #expect(h.file("PGSQL.lock") != nil)
        #expect(h.cluster.attribute("pgn1", "pgsql-master-baseline") == "0000000003000000")
        #expect(h.cluster.attribute("pgn1", "pgsql-data-status") == "LATEST")
        #expect(h.cluster.attribute("pgn1", "master-pgsql") == "1000")
        #expect(h.cluster.attribute("pgn1", "pgsql-status") == "PRI")
    }

    @Test func aServerThatComesBackAsAStandbyFailsThePromoteAndIsMarkedStopped() throws {
        let (h, pgCtl) = try PromoteActionTests.restartingStandby()
        defer { pgCtl.end() }
        h.server.answer = { sql in sql.contains("pg_is_in_recovery") ? [["t"]] : [["0/3000000", "0/3000000"]] }
        let error = #expect(throws: ActionFailure.self) { try PromoteAction(r: h.context(.promote)).run() }
        #expect(error?.code == .genericError)
        #expect(error?.reason == "Can't start PostgreSQL as primary on promote. (it started as a standby)")
        #expect(h.cluster.attribute("pgn1", "pgsql-status") == "STOP")
        #expect(h.log.matching("run pg_ctl").count == 2, "stop and start, no pg_ctl promote: \(h.log.entries)")
        #expect(h.cluster.attribute("pgn1", "pgsql-data-status") == "STREAMING|SYNC", "not LATEST")
    }

    static func standby(_ extra: [String: String] = [:]) -> ReplicationHarness {
        let h = ReplicationHarness(
            nodes: [
                "pgn1": .init(attributes: Attributes.syncStandby(), role: "Unpromoted"),
                "pgn2": .init(attributes: ["pgsql-data-status": "LATEST", "master-pgsql": "100"], role: "Unpromoted"),
            ], extra: extra)
        h.server.answer = { sql in sql.contains("pg_is_in_recovery") ? [["t"]] : [["0/3000000", "0/3000000"]] }
        return h
    }

    @Test func aPrimaryIsNotPromotedAgain() throws {
        let h = PromoteActionTests.standby()
        h.server.answer = { _ in [["f"]] }
        #expect(try PromoteAction(r: h.context(.promote)).run() == .success)
        #expect(h.log.entries == ["sql select pg_is_in_recovery()"])
        #expect(h.file("PGSQL.lock") == nil)
    }

    @Test func aPromoteThatCannotAskTheServerChangesNothing() throws {
        let h = PromoteActionTests.standby()
        h.server.answer = { _ in nil }
        let error = #expect(throws: ActionFailure.self) { try PromoteAction(r: h.context(.promote)).run() }
        #expect(
            error?.reason
                == "Can't get PostgreSQL recovery status on promote: PostgreSQL query failed (select pg_is_in_recovery()): scripted failure"
        )
        #expect(h.log.matching("crm_").isEmpty && h.file("PGSQL.lock") == nil)
    }

    enum PromoteFailure: String, CaseIterable {
        case pgCtlFails, pgCtlCannotRun, serverExits, neverLeavesRecovery
    }

    /// Each failure of `pg_ctl promote` and of the wait after it, with the lock already written.
    @Test(arguments: PromoteFailure.allCases)
    func aFailedPromotionSaysWhy(_ failure: PromoteFailure) throws {
        let h = PromoteActionTests.standby()
        h.cluster.programs["pg_ctl"] = { _ in
            switch failure {
            case .pgCtlFails:
                return .success(
                    CommandResult(
                        termination: .exited(1), standardOutput: "",
                        standardError: "pg_ctl: cannot promote server; server is not in standby mode"))
            case .pgCtlCannotRun:
                return .failure(.launchFailed(executable: "/usr/bin/pg_ctl", errno: ENOENT))
            case .serverExits:
                h.server.isRunning = false
                fallthrough
            case .neverLeavesRecovery:
                return .success(CommandResult(termination: .exited(0), standardOutput: "", standardError: ""))
            }
        }
        defer { h.cluster.programs = [:] }
        let error = #expect(throws: ActionFailure.self) {
            try PromoteAction(r: h.context(.promote, seconds: 0.6)).run()
        }
        let reason: String
        switch failure {
        case .pgCtlFails: reason = "pg_ctl: cannot promote server; server is not in standby mode"
        case .pgCtlCannotRun: reason = "cannot run /usr/bin/pg_ctl (errno 2)"
        case .serverExits: reason = "the server exited"
        case .neverLeavesRecovery: reason = "still in recovery at the promote timeout"
        }
        #expect(error?.reason == "Can't promote PostgreSQL: \(reason)")
        #expect(h.log.matching("run pg_ctl") == ["run pg_ctl -D \(h.pgdata) -W promote"])
        #expect(h.file("PGSQL.lock") != nil, "the lock is written before the promotion")
        #expect(h.cluster.attribute("pgn2", "pgsql-data-status") == "DISCONNECT")
        #expect(h.cluster.attribute("pgn1", "pgsql-status") == "HS:sync", "not PRI")
    }

    @Test func aSlotThatCannotBeCreatedFailsThePromote() throws {
        let h = PromoteActionTests.standby(["OCF_RESKEY_replication_slot_name": "s"])
        var promoted = false
        h.cluster.programs["pg_ctl"] = { _ in
            promoted = true
            return .success(CommandResult(termination: .exited(0), standardOutput: "", standardError: ""))
        }
        defer { h.cluster.programs = [:] }
        h.server.answer = { sql in
            if sql.contains("pg_is_in_recovery") { return [[promoted ? "f" : "t"]] }
            return sql.contains("pg_replication_slots") ? nil : [["0/3000000", "0/3000000"]]
        }
        let error = #expect(throws: ActionFailure.self) { try PromoteAction(r: h.context(.promote)).run() }
        #expect(error?.reason.hasPrefix("PostgreSQL can't create replication_slot: PostgreSQL query failed") == true)
        #expect(h.cluster.attribute("pgn1", "pgsql-data-status") == "STREAMING|SYNC", "not LATEST")
    }
}
