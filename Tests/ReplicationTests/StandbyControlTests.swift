import Replication
import Testing

/// The primary's decision about its standbys (`control_slave_status`), one named row per rule.
@Suite struct StandbyControlTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let mode: ReplicationMode
        let nodes: String
        var external: [String] = []
        let rows: [(String, String, String)]
        let current: [String]
        /// node → (data-status, score, status or "-" for unchanged)
        let expected: [String: (String, String, String)]
        let newNames: [String]?
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "sync standby streams: HS:sync, 100, names kept", mode: .sync, nodes: "pgn1 pgn2",
            rows: [("pgn2", "streaming", "sync")], current: ["pgn2"],
            expected: ["pgn2": ("STREAMING|SYNC", "100", "HS:sync")], newNames: nil),
        Row(name: "first async standby in sync mode becomes the synchronous one", mode: .sync, nodes: "pgn1 pgn2",
            rows: [("pgn2", "streaming", "async")], current: [],
            expected: ["pgn2": ("STREAMING|ASYNC", "-INFINITY", "HS:async")], newNames: ["pgn2"]),
        Row(name: "a second async standby does not replace the synchronous one", mode: .sync, nodes: "pgn1 pgn2 pgn3",
            rows: [("pgn2", "streaming", "sync"), ("pgn3", "streaming", "async")], current: ["pgn2"],
            expected: ["pgn2": ("STREAMING|SYNC", "100", "HS:sync"), "pgn3": ("STREAMING|ASYNC", "-INFINITY", "HS:async")],
            newNames: nil),
        Row(name: "potential standby: -INFINITY, HS:potential", mode: .sync, nodes: "pgn1 pgn2 pgn3",
            rows: [("pgn2", "streaming", "sync"), ("pgn3", "streaming", "potential")], current: ["pgn2", "pgn3"],
            expected: ["pgn2": ("STREAMING|SYNC", "100", "HS:sync"), "pgn3": ("STREAMING|POTENTIAL", "-INFINITY", "HS:potential")],
            newNames: nil),
        Row(name: "synchronous standby gone: async for everyone, status left to the node", mode: .sync, nodes: "pgn1 pgn2",
            rows: [], current: ["pgn2"], expected: ["pgn2": ("DISCONNECT", "-INFINITY", "-")], newNames: []),
        Row(name: "sync standby gone, the other async one takes over in the same pass", mode: .sync, nodes: "pgn1 pgn2 pgn3",
            rows: [("pgn3", "streaming", "async")], current: ["pgn2"],
            expected: ["pgn2": ("DISCONNECT", "-INFINITY", "-"), "pgn3": ("STREAMING|ASYNC", "-INFINITY", "HS:async")],
            newNames: ["pgn3"]),
        Row(name: "catching-up synchronous standby: HS:connected and async mode", mode: .sync, nodes: "pgn1 pgn2",
            rows: [("pgn2", "catchup", "sync")], current: ["pgn2"],
            expected: ["pgn2": ("CATCHUP|SYNC", "-INFINITY", "HS:connected")], newNames: []),
        Row(name: "quorum sync state is treated as connected", mode: .sync, nodes: "pgn1 pgn2",
            rows: [("pgn2", "streaming", "quorum")], current: [],
            expected: ["pgn2": ("STREAMING|QUORUM", "-INFINITY", "HS:connected")], newNames: nil),
        Row(name: "async mode, 2 nodes: the async standby may be promoted", mode: .async, nodes: "pgn1 pgn2",
            rows: [("pgn2", "streaming", "async")], current: [],
            expected: ["pgn2": ("STREAMING|ASYNC", "100", "HS:async")], newNames: nil),
        Row(name: "async mode, 3 nodes: no async standby may be promoted", mode: .async, nodes: "pgn1 pgn2 pgn3",
            rows: [("pgn2", "streaming", "async"), ("pgn3", "streaming", "async")], current: [],
            expected: ["pgn2": ("STREAMING|ASYNC", "-INFINITY", "HS:async"), "pgn3": ("STREAMING|ASYNC", "-INFINITY", "HS:async")],
            newNames: nil),
        Row(name: "async mode never touches synchronous_standby_names", mode: .async, nodes: "pgn1 pgn2",
            rows: [], current: [], expected: ["pgn2": ("DISCONNECT", "-INFINITY", "-")], newNames: nil),
        Row(name: "exact application_name match: pgn2 is not pgn20", mode: .sync, nodes: "pgn1 pgn2 pgn20",
            rows: [("pgn20", "streaming", "sync")], current: ["pgn20"],
            expected: ["pgn2": ("DISCONNECT", "-INFINITY", "-"), "pgn20": ("STREAMING|SYNC", "100", "HS:sync")],
            newNames: nil),
        Row(name: "a standby outside node_list is ignored", mode: .sync, nodes: "pgn1 pgn2",
            rows: [("intruder", "streaming", "async")], current: [],
            expected: ["pgn2": ("DISCONNECT", "-INFINITY", "-")], newNames: nil),
        Row(name: "external standbys: every streaming member is synchronous (FIRST n)", mode: .sync,
            nodes: "pgn1 pgn2", external: ["dr1"],
            rows: [("pgn2", "streaming", "async"), ("dr1", "streaming", "async"), ("other", "streaming", "async")],
            current: [], expected: ["pgn2": ("STREAMING|ASYNC", "-INFINITY", "HS:async")], newNames: ["pgn2", "dr1"]),
        Row(name: "external standbys: same members in another order is no change", mode: .sync,
            nodes: "pgn1 pgn2", external: ["dr1"],
            rows: [("dr1", "streaming", "sync"), ("pgn2", "streaming", "sync")], current: ["pgn2", "dr1"],
            expected: ["pgn2": ("STREAMING|SYNC", "100", "HS:sync")], newNames: nil),
        Row(name: "external standbys: a catching-up one is not waited for", mode: .sync,
            nodes: "pgn1 pgn2", external: ["dr1"],
            rows: [("pgn2", "streaming", "sync"), ("dr1", "catchup", "async")], current: ["pgn2", "dr1"],
            expected: ["pgn2": ("STREAMING|SYNC", "100", "HS:sync")], newNames: ["pgn2"]),
    ]

    static let pgn2 = NodeName.fixture("pgn2")
    static func lsn(_ text: String) -> LSN? { LSN(postgres: text) }

    /// A synchronous standby is promotable only once it holds what the primary acknowledged.
    @Test(arguments: [
        ("already shown as a caught-up synchronous standby: keeps 100", Set([pgn2]), nil, "0/100", "100", false),
        ("just became synchronous, no target yet: -INFINITY, awaiting", Set<NodeName>(), nil, "0/100", "-INFINITY", true),
        ("just became synchronous, behind the target: -INFINITY", [], lsn("0/500"), "0/4FF", "-INFINITY", true),
        ("just became synchronous, flushed to the target: 100", [], lsn("0/500"), "0/500", "100", false),
        ("just became synchronous, flush unknown: -INFINITY", [], lsn("0/500"), "", "-INFINITY", true),
    ] as [(String, Set<NodeName>, LSN?, String, String, Bool)])
    func catchUp(_ name: String, _ promotable: Set<NodeName>, _ target: LSN?, _ flush: String, _ score: String, _ waits: Bool)
        throws
    {
        let nodes = try #require(NodeName.list("pgn1 pgn2"))
        let decision = StandbyControl.decide(
            StandbyControl.Input(
                primary: nodes[0], nodeList: nodes, mode: .sync,
                rows: [
                    ReplicationRow(
                        applicationName: "pgn2", state: "streaming", syncState: "sync", flush: LSN(postgres: flush))
                ],
                synchronousStandbyNames: SynchronousStandbyNames(["pgn2"]), promotable: promotable, catchUpTarget: target))
        #expect(decision.standbys.first?.score.rawValue == score, "\(name)")
        #expect(decision.awaitingCatchUp == (waits ? [StandbyControlTests.pgn2] : []), "\(name)")
        #expect(decision.standbys.first?.status == .syncStandby)
        #expect(decision.standbys.first?.dataStatus == (waits ? .streamingAsync : .streamingSync), "\(name)")
    }

    @Test(arguments: rows)
    func decision(_ row: Row) throws {
        let nodes = try #require(NodeName.list(row.nodes))
        let input = StandbyControl.Input(
            primary: nodes.first { $0.rawValue == "pgn1" } ?? nodes[0], nodeList: nodes, mode: row.mode,
            externalStandbys: row.external,
            rows: row.rows.map { ReplicationRow(applicationName: $0.0, state: $0.1, syncState: $0.2) },
            synchronousStandbyNames: SynchronousStandbyNames(row.current),
            promotable: Set(nodes.filter { n in row.rows.contains { $0.0 == n.rawValue && $0.2 == "sync" } }))
        let decision = StandbyControl.decide(input)
        var got: [String: (String, String, String)] = [:]
        for v in decision.standbys {
            got[v.node.rawValue] = (v.dataStatus.description, v.score.rawValue, v.status?.rawValue ?? "-")
        }
        #expect(got.keys.sorted() == row.expected.keys.sorted())
        for (node, want) in row.expected {
            let have = try #require(got[node])
            #expect(have == want, "\(node)")
        }
        #expect(decision.synchronousStandbyNames?.names == row.newNames)
    }
}
