import Replication
import Testing

@Suite struct VocabularyTests {
    @Test(arguments: [
        ("16/B374D848", "00000016B374D848"), ("0/0", "0000000000000000"), ("0/3000060", "0000000003000060"),
        ("FFFFFFFF/FFFFFFFF", "FFFFFFFFFFFFFFFF"),
    ])
    func lsnRoundTrips(_ postgres: String, _ attribute: String) throws {
        let lsn = try #require(LSN(postgres: postgres))
        #expect(lsn.attribute == attribute)
        #expect(LSN(attribute: attribute) == lsn)
        #expect(lsn.postgres == postgres)
    }

    @Test(arguments: ["", "16", "16/", "/1", "G/1", "123456789/1", "16/B374D848/1"])
    func malformedPostgresLSN(_ text: String) { #expect(LSN(postgres: text) == nil) }

    @Test(arguments: ["", "00000016B374D84", "00000016B374D8480", "00000016B374D84G"])
    func malformedAttributeLSN(_ text: String) { #expect(LSN(attribute: text) == nil) }

    @Test func attributeOrderIsLSNOrder() throws {
        let a = try #require(LSN(postgres: "9/FFFFFFFF")), b = try #require(LSN(postgres: "A/0"))
        #expect(a < b && a.attribute < b.attribute)
    }

    @Test(arguments: [
        ("LATEST", DataStatus.latest), ("DISCONNECT", .disconnect), ("STREAMING|SYNC", .streamingSync),
        ("STREAMING|ASYNC", .streamingAsync), ("STREAMING|POTENTIAL", .streamingPotential),
        ("STREAMING|QUORUM", .replication(state: "STREAMING", syncState: "QUORUM")),
        ("CATCHUP|ASYNC", .replication(state: "CATCHUP", syncState: "ASYNC")),
    ])
    func dataStatusValues(_ text: String, _ status: DataStatus) {
        #expect(DataStatus(attribute: text) == status)
        #expect(status.description == text)
    }

    @Test(arguments: ["", "streaming|sync", "STREAMING", "A|B|C", "|SYNC", "STREAMING SYNC"])
    func malformedDataStatus(_ text: String) { #expect(DataStatus(attribute: text) == nil) }

    @Test func statusAndScoreVocabulary() {
        #expect(PgsqlStatus.allCases.map(\.rawValue) == [
            "PRI", "HS:sync", "HS:async", "HS:potential", "HS:connected", "HS:alone", "STOP", "UNKNOWN",
        ])
        #expect(PromotionScore.allCases.map(\.rawValue) == ["-INFINITY", "100", "1000"])
        let n = ResourceAttributes(resource: "pgsql")
        #expect([n.status, n.dataStatus, n.xlogLocation, n.masterBaseline, n.promotionScore, n.receiverStatus] == [
            "pgsql-status", "pgsql-data-status", "pgsql-xlog-loc", "pgsql-master-baseline", "master-pgsql",
            "pgsql-receiver-status",
        ])
    }

    @Test(arguments: [
        ("pgn2", "pgsql_slot_pgn2"), ("Node-A.example", "pgsql_slot_node_a_example"), ("PG1", "pgsql_slot_pg1"),
    ])
    func slotNames(_ node: String, _ slot: String) throws {
        let base = try #require(ReplicationSlotName("pgsql_slot"))
        #expect(base.slot(for: try #require(NodeName(node)))?.rawValue == slot)
    }

    @Test func primaryKeepsOneSlotPerOtherNode() throws {
        let base = try #require(ReplicationSlotName("s"))
        let nodes = try #require(NodeName.list("pgn1 pgn2 pgn3"))
        #expect(base.slots(on: nodes[1], nodeList: nodes).map(\.rawValue) == ["s_pgn1", "s_pgn3"])
    }

    @Test(arguments: ["Upper", "with-dash", "dot.ted", "", "spa ce"])
    func invalidSlotNames(_ text: String) { #expect(ReplicationSlotName(text) == nil) }
}

@Suite struct SynchronousStandbyNamesTests {
    @Test(arguments: [
        ("", [String]()), ("\"pgn2\"", ["pgn2"]), ("pgn2", ["pgn2"]), ("FIRST 2 (\"a\", \"b\")", ["a", "b"]),
        ("FIRST 2 (\"a\",\"b\")", ["a", "b"]), ("ANY 1 (a, b)", ["a", "b"]), ("a, b", ["a", "b"]),
    ])
    func parsesSettings(_ setting: String, _ names: [String]) {
        #expect(SynchronousStandbyNames(setting: setting).names == names)
    }

    @Test(arguments: [
        ([String](), "synchronous_standby_names = ''\n"), (["pgn2"], "synchronous_standby_names = '\"pgn2\"'\n"),
        (["pgn2", "dr1"], "synchronous_standby_names = 'FIRST 2 (\"pgn2\", \"dr1\")'\n"),
    ])
    func rendersRepModeConfLikeTheShellAgent(_ names: [String], _ content: String) {
        let value = SynchronousStandbyNames(names)
        #expect(value.repModeConf == content)
        #expect(SynchronousStandbyNames(repModeConf: content) == value)
    }

    @Test func missingOrForeignFileMeansNone() {
        #expect(SynchronousStandbyNames(repModeConf: "") == .none)
        #expect(SynchronousStandbyNames(repModeConf: "# nothing\n") == .none)
    }
}

@Suite struct RecoveryConfigurationTests {
    func configuration(version: Int, slot: String? = nil, restore: String = "") throws -> RecoveryConfiguration {
        RecoveryConfiguration(
            masterIP: "10.0.0.100", port: 5432, replicationUser: "repl", node: try #require(NodeName("pgn2")),
            conninfoOptions: "keepalives_idle=60", restoreCommand: restore,
            slot: slot.flatMap(ReplicationSlotName.init), usesStandbySignal: RecoveryConfiguration.usesStandbySignal(major: version))
    }

    @Test func postgres12AndLaterUseStandbySignal() throws {
        let text = try configuration(version: 15).content
        #expect(text == """
            primary_conninfo = 'host=10.0.0.100 port=5432 user=repl application_name=pgn2 keepalives_idle=60'
            restore_command = ''
            recovery_target_timeline = 'latest'

            """)
    }

    @Test func before12StandbyModeIsInTheFile() throws {
        #expect(try configuration(version: 11).content.contains("standby_mode = 'on'\n"))
        #expect(try !configuration(version: 12).content.contains("standby_mode"))
    }

    @Test func slotAndQuotedCommand() throws {
        let text = try configuration(version: 15, slot: "lab", restore: "cp '/arch/%f' %p").content
        #expect(text.contains("primary_slot_name = 'lab_pgn2'\n"))
        #expect(text.contains("restore_command = 'cp ''/arch/%f'' %p'\n"))
    }

    @Test func includeLinesAreRecognisedNotDuplicated() {
        let path = "/var/lib/pgsql/tmp/rep_mode.conf"
        #expect(RecoveryConfiguration.includeLine(for: path) == "include '\(path)' # added by pgsql RA")
        #expect(RecoveryConfiguration.includes("port = 5432\ninclude '\(path)' # added by pgsql RA\n", path: path))
        #expect(RecoveryConfiguration.includes("include_if_exists '\(path)'\n", path: path))
        #expect(!RecoveryConfiguration.includes("#include '\(path)'\n", path: path))
        #expect(!RecoveryConfiguration.includes("include '/other/rep_mode.conf'\n", path: path))
    }
}

@Suite struct LockFileRuleTests {
    static let a = NodeName("pgn1")!, b = NodeName("pgn2")!

    @Test(arguments: [
        ("no notification variables: keep", nil, nil, false),
        ("no unpromoted instance existed: remove", [], [], true),
        ("a standby remains: keep", [b], [a], false),
        ("whole clone stops (standby stops too): remove", [b], [a, b], true),
    ] as [(String, [NodeName]?, [NodeName]?, Bool)])
    func removalOnDemote(_ name: String, _ unpromoted: [NodeName]?, _ stopping: [NodeName]?, _ remove: Bool) {
        #expect(LockFileRule.removeOnDemote(unpromoted: unpromoted, stopping: stopping) == remove, "\(name)")
    }

    @Test func refusalTextIsTheShellAgents() {
        #expect(LockFileRule.refusal(path: "/t/PGSQL.lock")
            == "My data may be inconsistent. You have to remove /t/PGSQL.lock file to force start.")
    }
}
