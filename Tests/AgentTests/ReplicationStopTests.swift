import Exec
import OCF
import Replication
import Testing

@testable import Agent

/// `stop` and `demote` in replication mode: PostgreSQL first, then the attributes, best effort.
@Suite struct ReplicationStopTests {
    static func standby() -> ReplicationHarness {
        let h = ReplicationHarness(
            me: "pgn2",
            nodes: [
                "pgn1": .init(attributes: Attributes.primary(), role: "Promoted"),
                "pgn2": .init(
                    attributes: Attributes.syncStandby().merging(["pgsql-xlog-loc": "0000000003000000"]) { $1 },
                    role: "Unpromoted"),
            ])
        h.setFile("rep_mode.conf", "synchronous_standby_names = '\"pgn2\"'\n")
        return h
    }

    @Test func stopOfAStandbyLeavesTheShellAgentsAttributes() throws {
        let h = ReplicationStopTests.standby()
        #expect(try ReplicationStopAction(r: h.context(.stop)).stop() == .success)
        #expect(h.log.entries.first == "crm_mon", "the partition's quorum is read before the server stops")
        #expect(
            h.log.matching("crm_attribute") == [
                "crm_attribute master-pgsql[pgn2]=-INFINITY", "crm_attribute pgsql-xlog-loc[pgn2]=<deleted>",
                "crm_attribute pgsql-status[pgn2]=STOP",
            ])
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = ''\n")
    }

    @Test func aHungAttributeDaemonCostsOneAttempt() throws {
        let h = ReplicationStopTests.standby()
        h.cluster.failWrite = { _, _, _ in true }
        #expect(try ReplicationStopAction(r: h.context(.stop)).stop() == .success)
        #expect(h.log.matching("crm_attribute").count == 1, "\(h.log.entries)")
    }

    @Test func stopWithoutAClusterViewStillStops() throws {
        let h = ReplicationStopTests.standby()
        h.cluster.crmMonFails = true
        #expect(try ReplicationStopAction(r: h.context(.stop)).stop() == .success)
        #expect(h.log.matching("crm_attribute").contains("crm_attribute pgsql-status[pgn2]=STOP"))
    }

    @Test func stopOfAStoppedInstanceSucceedsWithoutTouchingRepModeConf() throws {
        let h = ReplicationStopTests.standby()
        h.server.isRunning = false
        #expect(try ReplicationStopAction(r: h.context(.stop)).stop() == .success)
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = '\"pgn2\"'\n")
    }

    @Test func demoteOfThePrimaryEndsUnpromotableAndStopped() throws {
        let h = ReplicationHarness(
            nodes: [
                "pgn1": .init(
                    attributes: Attributes.primary().merging(["pgsql-master-baseline": "0000000002000000"]) { $1 },
                    role: "Promoted"),
                "pgn2": .init(attributes: Attributes.syncStandby(), role: "Unpromoted"),
            ],
            extra: [
                "OCF_RESKEY_CRM_meta_notify_unpromoted_uname": "pgn2", "OCF_RESKEY_CRM_meta_notify_stop_uname": "",
            ])
        h.setFile("PGSQL.lock", "")
        #expect(try ReplicationStopAction(r: h.context(.demote)).demote() == .success)
        #expect(h.cluster.attribute("pgn1", "master-pgsql") == "-INFINITY")
        #expect(h.cluster.attribute("pgn1", "pgsql-status") == "STOP")
        #expect(h.cluster.attribute("pgn1", "pgsql-master-baseline") == nil)
        #expect(h.file("PGSQL.lock") != nil, "a standby remains: the lock stays")
    }
}
