import Exec
import OCF
import Replication
import Testing

@testable import Agent

/// The primary's control of its standbys, carried out against recording fakes: the exact order of
/// attribute writes, `rep_mode.conf` and the reload.
@Suite struct PrimaryControlTests {
    static func lostSyncStandby() -> ReplicationHarness {
        let h = ReplicationHarness(nodes: [
            "pgn1": .init(attributes: Attributes.primary(), role: "Promoted"),
            "pgn2": .init(attributes: Attributes.syncStandby(), role: "Unpromoted"),
        ])
        h.setFile("rep_mode.conf", "synchronous_standby_names = '\"pgn2\"'\n")
        h.server.answer = { _ in replicationAnswer(primaryFlush: "0/5000000", []) }
        return h
    }

    @Test func lostSyncStandbyIsMarkedAndConfirmedBeforeCommitsStopWaiting() throws {
        let h = PrimaryControlTests.lostSyncStandby()
        try PrimaryControl(r: h.context(.monitor)).run()
        let log = h.log
        let disconnect = try #require(log.index(of: "crm_attribute pgsql-data-status[pgn2]=DISCONNECT"))
        let score = try #require(log.index(of: "crm_attribute master-pgsql[pgn2]=-INFINITY"))
        let reload = try #require(log.index(of: "reload"))
        let confirm = try #require(log.entries.indices.last { log.entries[$0] == "crm_mon" && $0 < reload })
        #expect(disconnect < score && score < confirm && confirm < reload, "\(log.entries)")
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = ''\n")
    }

    @Test func failedWriteKeepsThePrimarySynchronous() throws {
        let h = PrimaryControlTests.lostSyncStandby()
        h.cluster.failWrite = { node, name, _ in node == "pgn2" && name == "master-pgsql" }
        #expect(throws: ActionFailure.self) { try PrimaryControl(r: h.context(.monitor, seconds: 1.5)).run() }
        #expect(h.log.index(of: "reload") == nil, "\(h.log.entries)")
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = '\"pgn2\"'\n")
    }

    @Test func withoutQuorumCommitsKeepWaiting() throws {
        let h = PrimaryControlTests.lostSyncStandby()
        h.cluster.quorum = false
        try PrimaryControl(r: h.context(.monitor)).run()
        #expect(h.log.matching("crm_attribute").isEmpty, "a minority writes nothing for others")
        #expect(h.log.index(of: "reload") == nil, "\(h.log.entries)")
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = '\"pgn2\"'\n")
    }

    @Test func quorumLostWhileMarkingKeepsCommitsWaiting() throws {
        let h = PrimaryControlTests.lostSyncStandby()
        h.cluster.afterWrite = { $0.quorum = false }
        try PrimaryControl(r: h.context(.monitor)).run()
        #expect(h.log.index(of: "reload") == nil, "\(h.log.entries)")
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = '\"pgn2\"'\n")
    }

    @Test func writesThatDoNotShowUpKeepThePrimarySynchronousWithoutFailingTheMonitor() throws {
        let h = PrimaryControlTests.lostSyncStandby()
        // The tool says yes, the CIB does not show it (attrd writes it later, or lost it).
        h.cluster.afterWrite = { $0.nodes["pgn2"]?.attributes["master-pgsql"] = "100" }
        try PrimaryControl(r: h.context(.monitor)).run()
        #expect(h.log.index(of: "reload") == nil)
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = '\"pgn2\"'\n")
    }

    @Test func membershipWithoutQuorumKeepsCommitsWaitingEvenIfTheCIBSaysQuorate() throws {
        let h = PrimaryControlTests.lostSyncStandby()
        // The CIB's have-quorum is written by the DC; a fresh minority still shows the old value.
        h.cluster.afterWrite = { $0.quorum = false }
        try PrimaryControl(r: h.context(.monitor)).run()
        #expect(h.log.index(of: "reload") == nil, "\(h.log.entries)")
    }

    /// Without fencing a minority sees the majority's nodes offline and clean: that proves nothing,
    /// the standby may be being promoted there. Commits keep waiting (measured in lab scenario j).
    @Test func standbyWhoseNodeLooksCleanlyDownIsNotReleasedWithoutQuorum() throws {
        let h = PrimaryControlTests.lostSyncStandby()
        h.cluster.quorum = false
        h.cluster.nodes["pgn2"] = .init(online: false, attributes: Attributes.syncStandby())
        try PrimaryControl(r: h.context(.monitor)).run()
        #expect(h.log.matching("crm_attribute").isEmpty, "\(h.log.entries)")
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = '\"pgn2\"'\n")
    }

    @Test func partitionedPrimaryWritesNothingForTheNodesOutOfSight() throws {
        let h = PrimaryControlTests.lostSyncStandby()
        h.cluster.quorum = false
        h.cluster.nodes["pgn2"] = .init(online: false, unclean: true, attributes: Attributes.syncStandby())
        try PrimaryControl(r: h.context(.monitor)).run()
        #expect(h.log.matching("crm_attribute").isEmpty, "\(h.log.entries)")
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = '\"pgn2\"'\n")
    }

    @Test func reloadThatDidNotTakeIsSentAgain() throws {
        let h = PrimaryControlTests.lostSyncStandby()
        h.server.answer = { _ in
            replicationAnswer(primaryFlush: "0/900", setting: "", [("pgn2", "streaming", "sync", "0/900")])
        }
        try PrimaryControl(r: h.context(.monitor)).run()
        #expect(h.log.index(of: "reload") != nil)
    }

    /// A standby made synchronous after an async period reaches 100 only once its flush position
    /// has reached the primary's flush position read after the switch.
    @Test func newSynchronousStandbyIsPromotableOnlyAfterCatchingUp() throws {
        let h = ReplicationHarness(nodes: [
            "pgn1": .init(attributes: Attributes.primary(), role: "Promoted"),
            "pgn2": .init(attributes: Attributes.asyncStandby(), role: "Unpromoted"),
        ])
        h.setFile("rep_mode.conf", "synchronous_standby_names = ''\n")
        var queries = 0
        var scoreWhenCaughtUp: String?
        h.server.answer = { sql in
            guard sql.contains("pg_stat_replication") else { return [] }
            queries += 1
            switch queries {
            case 1: return replicationAnswer(primaryFlush: "0/900", [("pgn2", "streaming", "async", "0/100")])
            case 2: return replicationAnswer(primaryFlush: "0/900", [("pgn2", "streaming", "sync", "0/300")])
            default:
                scoreWhenCaughtUp = scoreWhenCaughtUp ?? h.cluster.attribute("pgn2", "master-pgsql")
                return replicationAnswer(primaryFlush: "0/A00", [("pgn2", "streaming", "sync", "0/900")])
            }
        }
        var control = try PrimaryControl(r: h.context(.monitor))
        control.settle = .zero
        try control.run()
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = '\"pgn2\"'\n")
        #expect(scoreWhenCaughtUp == "-INFINITY", "100 before the standby held the acknowledged commits")
        #expect(h.cluster.attribute("pgn2", "master-pgsql") == "100", "\(h.log.entries)")
        #expect(h.cluster.attribute("pgn2", "pgsql-data-status") == "STREAMING|SYNC")
    }

    @Test func synchronousStandbyThatNeverCatchesUpStaysUnpromotable() throws {
        let h = ReplicationHarness(nodes: [
            "pgn1": .init(attributes: Attributes.primary(), role: "Promoted"),
            "pgn2": .init(attributes: Attributes.asyncStandby(), role: "Unpromoted"),
        ])
        h.setFile("rep_mode.conf", "synchronous_standby_names = '\"pgn2\"'\n")
        h.server.answer = { sql in
            sql.contains("pg_stat_replication")
                ? replicationAnswer(primaryFlush: "0/900", [("pgn2", "streaming", "sync", "0/300")]) : []
        }
        var control = try PrimaryControl(r: h.context(.monitor, seconds: 3.5))
        control.settle = .zero
        try control.run()
        #expect(h.cluster.attribute("pgn2", "master-pgsql") == "-INFINITY")
        #expect(h.cluster.attribute("pgn2", "pgsql-status") == "HS:sync")
        #expect(h.cluster.attribute("pgn2", "pgsql-data-status") == "STREAMING|ASYNC", "no master right meanwhile")
    }

    @Test func catchUpTargetWaitsUntilTheReloadHasSettled() throws {
        let h = ReplicationHarness(nodes: [
            "pgn1": .init(attributes: Attributes.primary(), role: "Promoted"),
            "pgn2": .init(attributes: Attributes.asyncStandby(), role: "Unpromoted"),
        ])
        h.setFile("rep_mode.conf", "synchronous_standby_names = '\"pgn2\"'\n")
        h.server.answer = { sql in
            sql.contains("pg_stat_replication")
                ? replicationAnswer(primaryFlush: "0/900", [("pgn2", "streaming", "sync", "0/900")]) : []
        }
        var control = try PrimaryControl(r: h.context(.monitor, seconds: 3.5))
        control.settle = .seconds(60)
        try control.run()
        #expect(h.cluster.attribute("pgn2", "master-pgsql") == "-INFINITY", "the reload is 0 s old")
    }

    @Test func caughtUpSynchronousStandbyKeepsItsScoreWithoutExtraWork() throws {
        let h = ReplicationHarness(nodes: [
            "pgn1": .init(attributes: Attributes.primary(), role: "Promoted"),
            "pgn2": .init(attributes: Attributes.syncStandby(), role: "Unpromoted"),
        ])
        h.setFile("rep_mode.conf", "synchronous_standby_names = '\"pgn2\"'\n")
        h.server.answer = { _ in replicationAnswer(primaryFlush: "0/900", [("pgn2", "streaming", "sync", "0/800")]) }
        try PrimaryControl(r: h.context(.monitor)).run()
        #expect(h.log.matching("crm_attribute").isEmpty, "\(h.log.entries)")
        #expect(h.log.matching("sql").count == 1)
    }
}
