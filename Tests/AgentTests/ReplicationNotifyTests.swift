import Exec
import OCF
import Replication
import Testing

@testable import Agent

/// `notify` in replication mode against recording fakes: one test per (type, operation) rule.
@Suite struct ReplicationNotifyTests {
    static func harness(
        me: String = "pgn2", nodeList: String = "pgn1 pgn2", _ type: String, _ operation: String,
        lists: [String: String], nodes: [String: FakeCluster.Node]
    ) -> ReplicationHarness {
        var extra = [
            "OCF_RESKEY_CRM_meta_notify_type": type, "OCF_RESKEY_CRM_meta_notify_operation": operation,
        ]
        for (role, names) in lists { extra["OCF_RESKEY_CRM_meta_notify_\(role)_uname"] = names }
        return ReplicationHarness(me: me, nodeList: nodeList, nodes: nodes, extra: extra)
    }

    @Test func postPromoteOnAStandbyDeletesItsLocationAndBaseline() throws {
        let h = ReplicationNotifyTests.harness(
            "post", "promote", lists: ["promote": "pgn1"],
            nodes: [
                "pgn1": .init(attributes: Attributes.primary(), role: "Promoted"),
                "pgn2": .init(attributes: [
                    "pgsql-xlog-loc": "0000000003000000", "pgsql-master-baseline": "0000000002000000",
                ]),
            ])
        #expect(try ReplicationNotifyAction(r: h.context(.notify)).run() == .success)
        #expect(
            h.log.matching("crm_attribute") == [
                "crm_attribute pgsql-xlog-loc[pgn2]=<deleted>", "crm_attribute pgsql-master-baseline[pgn2]=<deleted>",
            ])
    }

    @Test func postPromoteOnThePromotedNodeKeepsItsBaseline() throws {
        let h = ReplicationNotifyTests.harness(
            me: "pgn1", "post", "promote", lists: ["promote": "pgn1"],
            nodes: ["pgn1": .init(attributes: ["pgsql-master-baseline": "0000000002000000"], role: "Promoted")])
        #expect(try ReplicationNotifyAction(r: h.context(.notify)).run() == .success)
        #expect(h.log.matching("crm_attribute").isEmpty, "\(h.log.entries)")
    }

    @Test func postDemoteOnTheRemainingStandbyRecordsItsBaselineAndIsAlone() throws {
        let h = ReplicationNotifyTests.harness(
            "post", "demote", lists: ["demote": "pgn1", "master": "pgn1"],
            nodes: ["pgn1": .init(role: "Unpromoted"), "pgn2": .init(attributes: Attributes.syncStandby())])
        h.server.answer = { sql in sql.contains("replay") ? [["0/3000060", "0/3000000"]] : [] }
        #expect(try ReplicationNotifyAction(r: h.context(.notify)).run() == .success)
        #expect(h.cluster.attribute("pgn2", "pgsql-master-baseline") == "0000000003000060")
        #expect(h.cluster.attribute("pgn2", "pgsql-status") == "HS:alone")
    }

    @Test func postStartOnThePrimaryControlsItsStandbys() throws {
        let h = ReplicationNotifyTests.harness(
            me: "pgn1", "post", "start", lists: ["start": "pgn2", "master": "pgn1"],
            nodes: [
                "pgn1": .init(attributes: Attributes.primary(), role: "Promoted"),
                "pgn2": .init(attributes: ["pgsql-status": "HS:alone", "master-pgsql": "-INFINITY"]),
            ])
        h.setFile("rep_mode.conf", "synchronous_standby_names = ''\n")
        h.server.answer = { sql in
            sql.contains("pg_stat_replication")
                ? replicationAnswer(primaryFlush: "0/900", [("pgn2", "streaming", "async", "0/900")]) : []
        }
        #expect(try ReplicationNotifyAction(r: h.context(.notify, seconds: 3.5)).run() == .success)
        #expect(h.file("rep_mode.conf") == "synchronous_standby_names = '\"pgn2\"'\n")
        #expect(h.log.index(of: "reload") != nil)
    }

    @Test func postStartOnAStandbyDoesNothing() throws {
        let h = ReplicationNotifyTests.harness(
            "post", "start", lists: ["start": "pgn2", "master": "pgn1"], nodes: ["pgn2": .init()])
        #expect(try ReplicationNotifyAction(r: h.context(.notify)).run() == .success)
        #expect(h.log.entries.isEmpty, "\(h.log.entries)")
    }

    @Test(arguments: [
        ("a standby newer than the promoted node bans itself", "0000000005000000", "0000000004000000", true),
        ("an older standby follows", "0000000003000000", "0000000004000000", false),
        ("no baseline of its own: follows", "", "0000000004000000", false),
    ])
    func prePromoteBaselineCheck(_ name: String, _ mine: String, _ theirs: String, _ bans: Bool) throws {
        var me: [String: String] = [:]
        if !mine.isEmpty { me["pgsql-master-baseline"] = mine }
        let h = ReplicationNotifyTests.harness(
            me: "pgn3", nodeList: "pgn1 pgn2 pgn3", "pre", "promote", lists: ["promote": "pgn2"],
            nodes: [
                "pgn2": .init(attributes: ["pgsql-master-baseline": theirs]), "pgn3": .init(attributes: me),
            ])
        let action = try ReplicationNotifyAction(r: h.context(.notify))
        if bans {
            let error = #expect(throws: ActionFailure.self) { try action.run() }
            #expect(error?.reason == "My data is newer than new master's one. New master's location : \(theirs)")
            #expect(h.log.matching("crm_resource") == ["crm_resource -B -r pgsql -N pgn3 -Q"])
        } else {
            #expect(try action.run() == .success, "\(name)")
            #expect(h.log.matching("crm_resource").isEmpty)
        }
    }

    @Test func notifyWithoutItsVariablesIsAnInvalidArgument() throws {
        let h = ReplicationHarness(nodes: [:])
        let error = #expect(throws: ActionFailure.self) { try ReplicationNotifyAction(r: h.context(.notify)).run() }
        #expect(error?.code == .invalidArgument)
    }
}
