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

    @Test(arguments: ["", "00000016B374D8480", "00000016B374D84G", "+3000060", "0x3000060", " 3000060", "16/", "1/2/3"])
    func malformedAttributeLSN(_ text: String) { #expect(LSN(attribute: text) == nil) }

    /// Values another agent or version may have written: any case, shorter, or PostgreSQL's form.
    @Test(
        arguments: [
            ("00000016b374d848", 0x16_B374_D848), ("16B374D848", 0x16_B374_D848), ("3000060", 0x300_0060),
            ("16/B374D848", 0x16_B374_D848), ("0", 0),
        ] as [(String, UInt64)])
    func lenientAttributeLSN(_ text: String, _ value: UInt64) { #expect(LSN(attribute: text) == LSN(value)) }

    @Test func attributeOrderIsLSNOrder() throws {
        let a = try #require(LSN(postgres: "9/FFFFFFFF")), b = try #require(LSN(postgres: "A/0"))
        #expect(a < b && a.attribute < b.attribute)
    }

    @Test(arguments: [
        ("LATEST", DataStatus.latest), ("DISCONNECT", .disconnect), ("STREAMING|SYNC", .streamingSync),
        ("STREAMING|ASYNC", .streamingAsync), ("STREAMING|POTENTIAL", .streamingPotential),
        ("STREAMING|QUORUM", .replication(state: .streaming, syncState: .quorum)),
        ("CATCHUP|ASYNC", .replication(state: .catchup, syncState: .async)),
        ("NEWSTATE|SYNC", .replication(state: .other("NEWSTATE"), syncState: .sync)),
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

    /// Whether a node is "other" is decided after the slot normalisation: a primary whose name
    /// Pacemaker and node_list spell differently never keeps a slot for itself.
    @Test(
        arguments: [
            ("PGN1 pgn2", "pgn1", ["s_pgn2"]), ("pgn1 pgn2", "PGN1", ["s_pgn2"]), ("Pg-1 pgn2", "pg_1", ["s_pgn2"]),
            ("pgn1 pgn-2 pgn_2", "pgn1", ["s_pgn_2"]),
        ] as [(String, String, [String])])
    func primaryNeverKeepsASlotForItself(_ list: String, _ primary: String, _ slots: [String]) throws {
        let base = try #require(ReplicationSlotName("s"))
        let nodes = try #require(NodeName.list(list))
        #expect(base.slots(on: try #require(NodeName(primary)), nodeList: nodes).map(\.rawValue) == slots)
    }

    /// A standby keeps no slot at all: it drops the agent's slot of every node, its own name's too
    /// (left behind by a primary that kept a slot for itself).
    @Test func aStandbyDropsEverySlotOfNodeList() throws {
        let base = try #require(ReplicationSlotName("s"))
        let nodes = try #require(NodeName.list("PGN1 pgn2 pgn-3 pgn_3"))
        #expect(base.slots(for: nodes).map(\.rawValue) == ["s_pgn1", "s_pgn2", "s_pgn_3"])
    }

    @Test(arguments: ["Upper", "with-dash", "dot.ted", "", "spa ce", String(repeating: "s", count: 64)])
    func invalidSlotNames(_ text: String) { #expect(ReplicationSlotName(text) == nil) }

    @Test func slotNamesUpToNAMEDATALENMinusOne() throws {
        #expect(ReplicationSlotName(String(repeating: "s", count: 63)) != nil)
        let base = try #require(ReplicationSlotName(String(repeating: "s", count: 60)))
        #expect(base.slot(for: try #require(NodeName("ab")))?.rawValue.utf8.count == 63)
        #expect(base.slot(for: try #require(NodeName("abc"))) == nil, "60 + 1 + 3 = 64 bytes: too long")
    }
}
