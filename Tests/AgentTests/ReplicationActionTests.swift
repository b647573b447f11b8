import Exec
import OCF
import Replication
import Testing

@testable import Agent

/// Monitor, promote and demote against recording fakes: what each writes, and what it must not.
@Suite struct ReplicationActionTests {
    /// The monitor's recovery query answered as a primary (`f`) or a standby (`t`).
    static func recovery(_ inRecovery: Bool, receiver: String? = nil, age: String? = nil) -> [[String?]] {
        [[inRecovery ? "t" : "f", receiver == nil ? nil : "4242", receiver, age]]
    }

    // MARK: item 3: a stale primary

    @Test func probeOfAPrimaryWhileAnotherNodeIsPromotedClaimsNothing() throws {
        let h = ReplicationHarness(
            nodes: [
                "pgn1": .init(attributes: ["pgsql-data-status": "DISCONNECT"]),
                "pgn2": .init(attributes: Attributes.primary(), role: "Promoted"),
            ], extra: ["OCF_RESKEY_CRM_meta_interval": "0"])
        h.server.answer = { sql in sql.contains("pg_is_in_recovery") ? ReplicationActionTests.recovery(false) : [] }
        let error = #expect(throws: ActionFailure.self) { try ReplicationMonitorAction(r: h.context(.monitor)).run() }
        #expect(error?.code == .genericError)
        #expect(error?.reason.contains("pgn2 is promoted") == true, "\(error?.reason ?? "")")
        #expect(h.cluster.attribute("pgn2", "pgsql-data-status") == "LATEST")
        #expect(h.cluster.attribute("pgn2", "master-pgsql") == "1000")
        #expect(h.cluster.attribute("pgn1", "master-pgsql") == "-INFINITY")
        #expect(h.log.matching("crm_attribute").allSatisfy { $0.contains("[pgn1]") }, "\(h.log.entries)")
    }

    @Test func reprobeOfTheRealPrimaryAfterARefreshStillClaimsIt() throws {
        let h = ReplicationHarness(
            nodes: [
                "pgn1": .init(attributes: ["pgsql-data-status": "LATEST", "pgsql-status": "PRI"]),
                "pgn2": .init(attributes: ["pgsql-data-status": "DISCONNECT"]),
            ], extra: ["OCF_RESKEY_CRM_meta_interval": "0"])
        h.setFile("rep_mode.conf", "synchronous_standby_names = ''\n")
        h.server.answer = { sql in
            if sql.contains("pg_is_in_recovery") { return ReplicationActionTests.recovery(false) }
            return sql.contains("pg_stat_replication") ? replicationAnswer(primaryFlush: "0/900", []) : []
        }
        #expect(try ReplicationMonitorAction(r: h.context(.monitor)).run() == .runningPromoted)
        #expect(h.cluster.attribute("pgn1", "master-pgsql") == "1000")
    }

    /// The real primary is offline (crm_mon hides its attributes); its LATEST is in the CIB.
    @Test func stalePrimaryDoesNotWinWhileTheRealOneIsOffline() throws {
        let h = ReplicationHarness(
            nodes: [
                "pgn1": .init(attributes: ["pgsql-data-status": "DISCONNECT"]),
                "pgn2": .init(online: false, attributes: ["pgsql-data-status": "LATEST"]),
            ], extra: ["OCF_RESKEY_CRM_meta_interval": "0"])
        h.server.answer = { sql in sql.contains("pg_is_in_recovery") ? ReplicationActionTests.recovery(false) : [] }
        #expect(throws: ActionFailure.self) { try ReplicationMonitorAction(r: h.context(.monitor)).run() }
        #expect(h.cluster.attribute("pgn1", "pgsql-data-status") == "DISCONNECT")
        #expect(h.cluster.attribute("pgn2", "pgsql-data-status") == "LATEST")
        #expect(h.cluster.attribute("pgn1", "master-pgsql") == "-INFINITY")
    }

    @Test func probeOfAPrimaryWithoutAClusterViewClaimsNothing() throws {
        let h = ReplicationHarness(
            nodes: ["pgn1": .init(attributes: ["pgsql-data-status": "LATEST"])],
            extra: ["OCF_RESKEY_CRM_meta_interval": "0"])
        h.cluster.crmMonFails = true
        h.server.answer = { sql in sql.contains("pg_is_in_recovery") ? ReplicationActionTests.recovery(false) : [] }
        #expect(throws: ActionFailure.self) { try ReplicationMonitorAction(r: h.context(.monitor)).run() }
        #expect(h.log.matching("crm_attribute").isEmpty, "\(h.log.entries)")
    }

    @Test func monitorOfThePromotedPrimaryReadsNoNodeSection() throws {
        let h = PrimaryControlTests.lostSyncStandby()
        h.server.answer = { sql in
            if sql.contains("pg_is_in_recovery") { return ReplicationActionTests.recovery(false) }
            return sql.contains("pg_stat_replication")
                ? replicationAnswer(primaryFlush: "0/900", [("pgn2", "streaming", "sync", "0/900")]) : []
        }
        #expect(try ReplicationMonitorAction(r: h.context(.monitor)).run() == .runningPromoted)
        #expect(h.log.matching("cibadmin").isEmpty)
        #expect(h.log.matching("crm_mon").count == 1)
    }

    @Test func streamingStandbyWhoseClusterCannotBeReadIsFine() throws {
        let h = ReplicationActionTests.standbyAlone()
        h.cluster.crmMonFails = true
        h.server.answer = { sql in
            sql.contains("pg_is_in_recovery")
                ? ReplicationActionTests.recovery(true, receiver: "streaming", age: "12") : []
        }
        #expect(try ReplicationMonitorAction(r: h.context(.monitor)).run() == .success)
        #expect(h.log.matching("crm_attribute").isEmpty)
    }

    @Test func primaryWhoseDataStatusWasTakenOverIsStale() throws {
        let h = ReplicationHarness(
            nodes: [
                "pgn1": .init(attributes: ["pgsql-data-status": "DISCONNECT"]),
                "pgn2": .init(attributes: ["pgsql-data-status": "LATEST"]),
            ], extra: ["OCF_RESKEY_CRM_meta_interval": "0"])
        h.server.answer = { sql in sql.contains("pg_is_in_recovery") ? ReplicationActionTests.recovery(false) : [] }
        #expect(throws: ActionFailure.self) { try ReplicationMonitorAction(r: h.context(.monitor)).run() }
        #expect(h.cluster.attribute("pgn1", "master-pgsql") == "-INFINITY")
        #expect(h.cluster.attribute("pgn2", "pgsql-data-status") == "LATEST")
    }

    // MARK: item 4: the streaming shortcut

    static func standbyAlone() -> ReplicationHarness {
        let h = ReplicationHarness(nodes: [
            "pgn1": .init(attributes: ["pgsql-data-status": "STREAMING|SYNC", "master-pgsql": "-INFINITY"]),
            "pgn2": .init(online: false),
        ])
        return h
    }

    @Test func silentPrimaryMakesTheStandbyJoinTheElection() throws {
        let h = ReplicationActionTests.standbyAlone()
        h.server.answer = { sql in
            if sql.contains("pg_is_in_recovery") {
                return ReplicationActionTests.recovery(true, receiver: "streaming", age: "25.0")
            }
            return sql.contains("replay") ? [["0/3000060", "0/3000060"]] : []
        }
        #expect(try ReplicationMonitorAction(r: h.context(.monitor)).run() == .success)
        #expect(h.log.index(of: "crm_mon") != nil)
        #expect(h.cluster.attribute("pgn1", "pgsql-xlog-loc") == "0000000003000060")
        #expect(h.cluster.attribute("pgn1", "pgsql-status") == "HS:alone")
    }

    @Test func primaryHeardJustNowNeedsNoClusterQuery() throws {
        let h = ReplicationActionTests.standbyAlone()
        h.server.answer = { sql in
            sql.contains("pg_is_in_recovery")
                ? ReplicationActionTests.recovery(true, receiver: "streaming", age: "0.05") : []
        }
        #expect(try ReplicationMonitorAction(r: h.context(.monitor)).run() == .success)
        #expect(h.log.entries.allSatisfy { !$0.hasPrefix("crm_") }, "\(h.log.entries)")
    }

    // MARK: 10e: a lost master right

    @Test func aClaimDoesNotSurviveANewerNode() throws {
        let h = ReplicationHarness(
            me: "pgn2", nodeList: "pgn1 pgn2 pgn3",
            nodes: [
                "pgn1": .init(online: false),
                "pgn2": .init(attributes: ["pgsql-data-status": "STREAMING|SYNC", "master-pgsql": "1000"]),
                "pgn3": .init(attributes: [
                    "pgsql-data-status": "STREAMING|ASYNC", "pgsql-xlog-loc": "0000000004000000",
                ]),
            ])
        h.server.answer = { sql in
            if sql.contains("pg_is_in_recovery") { return ReplicationActionTests.recovery(true, receiver: "waiting") }
            return sql.contains("replay") ? [["0/3000000", "0/3000000"]] : []
        }
        _ = try ReplicationMonitorAction(r: h.context(.monitor)).run()
        #expect(h.cluster.attribute("pgn2", "master-pgsql") == "-INFINITY", "\(h.log.entries)")
    }

    // MARK: item 5: promote needs the cluster view

    @Test func promoteWithoutAClusterViewFailsBeforeAnythingMoves() throws {
        let h = ReplicationHarness(nodes: [
            "pgn1": .init(attributes: Attributes.syncStandby(), role: "Unpromoted"),
            "pgn2": .init(attributes: Attributes.primary(), role: "Unpromoted"),
        ])
        h.environment["OCF_RESKEY_CRM_meta_timeout"] = "4000"
        h.cluster.crmMonFails = true
        h.server.answer = { sql in sql.contains("pg_is_in_recovery") ? [["t"]] : [["0/3000000", "0/3000000"]] }
        let error = #expect(throws: ActionFailure.self) { try PromoteAction(r: h.context(.promote, seconds: 3)).run() }
        #expect(error?.reason.contains("cannot be marked DISCONNECT") == true)
        #expect(h.log.matching("run pg_ctl").isEmpty, "\(h.log.entries)")
        #expect(h.file("PGSQL.lock") == nil)
        #expect(h.log.matching("crm_mon").count >= 2, "retried within the deadline")
    }

    @Test func promoteMarksTheOthersBeforeTheLockAndThePromotion() throws {
        let h = ReplicationHarness(nodes: [
            "pgn1": .init(attributes: Attributes.syncStandby(), role: "Unpromoted"),
            "pgn2": .init(attributes: ["pgsql-data-status": "LATEST", "master-pgsql": "100"], role: "Unpromoted"),
        ])
        var promoted = false
        h.server.answer = { sql in
            if sql.contains("pg_is_in_recovery") {
                defer { promoted = h.log.index(of: "run pg_ctl") != nil }
                return [[promoted ? "f" : "t"]]
            }
            return sql.contains("replay") ? [["0/3000000", "0/3000000"]] : []
        }
        #expect(try PromoteAction(r: h.context(.promote)).run() == .success)
        let log = h.log
        let disconnect = try #require(log.index(of: "crm_attribute pgsql-data-status[pgn2]=DISCONNECT"))
        let score = try #require(log.index(of: "crm_attribute master-pgsql[pgn2]=-INFINITY"))
        let promote = try #require(log.index(of: "run pg_ctl"))
        #expect(disconnect < promote && score < promote, "\(log.entries)")
        #expect(h.file("PGSQL.lock") != nil)
        #expect(h.cluster.attribute("pgn1", "pgsql-data-status") == "LATEST")
        #expect(h.cluster.attribute("pgn1", "master-pgsql") == "1000")
    }

    // MARK: item 11: demote in a partition

    static func demotingPrimary(quorum: Bool?, peerUnclean: Bool) -> ReplicationHarness {
        let h = ReplicationHarness(
            nodes: [
                "pgn1": .init(attributes: Attributes.primary(), role: "Promoted"),
                "pgn2": .init(online: false, unclean: peerUnclean),
            ],
            extra: [
                "OCF_RESKEY_CRM_meta_notify_promoted_uname": "pgn1",
                "OCF_RESKEY_CRM_meta_notify_unpromoted_uname": "",
                "OCF_RESKEY_CRM_meta_notify_stop_uname": "",
            ])
        h.cluster.quorum = quorum
        h.setFile("PGSQL.lock", "")
        return h
    }

    @Test(
        arguments: [
            ("quorate, the standby's node cleanly down: removed", true, false, false),
            ("no quorum, the peer cut off (unclean): kept", false, true, true),
            ("no quorum, the peer offline and clean (no fencing: proves nothing): kept", false, false, true),
            ("no DC, the peer cut off: kept", nil, true, true),
        ] as [(String, Bool?, Bool, Bool)])
    func demoteKeepsTheLockInAPartition(_ name: String, _ quorum: Bool?, _ unclean: Bool, _ keeps: Bool) throws {
        let h = ReplicationActionTests.demotingPrimary(quorum: quorum, peerUnclean: unclean)
        _ = try ReplicationStopAction(r: h.context(.demote)).demote()
        #expect((h.file("PGSQL.lock") != nil) == keeps, "\(name)")
    }

    @Test func demoteKeepsTheLockWhenTheClusterCannotBeRead() throws {
        let h = ReplicationActionTests.demotingPrimary(quorum: true, peerUnclean: false)
        h.cluster.crmMonFails = true
        _ = try ReplicationStopAction(r: h.context(.demote)).demote()
        #expect(h.file("PGSQL.lock") != nil)
    }

    // MARK: 10b: no OCF_RESKEY_* or password reaches a Pacemaker tool

    @Test func pacemakerToolsGetNoResourceParameters() throws {
        let h = PrimaryControlTests.lostSyncStandby()
        try PrimaryControl(r: h.context(.monitor)).run()
        #expect(!h.cluster.environments.isEmpty)
        for env in h.cluster.environments {
            #expect(!env.keys.contains { $0.hasPrefix("OCF_RESKEY_") })
            #expect(!env.values.contains("s3cret-password"))
        }
    }
}
