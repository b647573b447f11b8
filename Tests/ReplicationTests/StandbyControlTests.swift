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

    @Test(arguments: rows)
    func decision(_ row: Row) throws {
        let nodes = try #require(NodeName.list(row.nodes))
        let input = StandbyControl.Input(
            primary: nodes.first { $0.rawValue == "pgn1" } ?? nodes[0], nodeList: nodes, mode: row.mode,
            externalStandbys: row.external,
            rows: row.rows.map { ReplicationRow(applicationName: $0.0, state: $0.1, syncState: $0.2) },
            synchronousStandbyNames: SynchronousStandbyNames(row.current))
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

/// Which attribute writes the decisions turn into: read before write, guards, lifetimes.
@Suite struct AttributePlannerTests {
    static let me = NodeName("pgn1")!, other = NodeName("pgn2")!, offline = NodeName("pgn3")!
    static let names = ResourceAttributes(resource: "pgsql")

    func planner(_ other: [String: String], online: Bool = true) -> AttributePlanner {
        AttributePlanner(
            names: Self.names, me: Self.me,
            nodes: [
                Self.me: NodeAttributes(online: true, values: ["pgsql-status": "PRI"]),
                Self.other: NodeAttributes(online: online, values: other),
            ])
    }

    @Test func unchangedValuesAreNotWritten() {
        let p = planner(["pgsql-status": "HS:sync", "pgsql-data-status": "STREAMING|SYNC", "master-pgsql": "100"])
        #expect(p.status(Self.other, .syncStandby) == nil)
        #expect(p.dataStatus(Self.other, .streamingSync) == nil)
        #expect(p.otherScore(Self.other, .canPromote) == nil)
        #expect(p.status(Self.me, .primary) == nil)
    }

    @Test func lifetimes() {
        let p = planner([:])
        #expect(p.status(Self.other, .syncStandby)?.lifetime == .reboot)
        #expect(p.dataStatus(Self.other, .streamingSync)?.lifetime == .forever)
        #expect(p.own("pgsql-xlog-loc", "0000000003000060")?.lifetime == .reboot)
    }

    @Test(arguments: ["STOP", "UNKNOWN"])
    func anotherNodesOwnVerdictIsNeverOverwritten(_ current: String) {
        #expect(planner(["pgsql-status": current]).status(Self.other, .syncStandby) == nil)
    }

    @Test func aNodeMayOverwriteItsOwnStop() {
        let p = AttributePlanner(
            names: Self.names, me: Self.me, nodes: [Self.me: NodeAttributes(online: true, values: ["pgsql-status": "STOP"])])
        #expect(p.status(Self.me, .aloneStandby)?.value == "HS:alone")
    }

    @Test func offlineNodes() {
        let p = planner(["master-pgsql": "100"], online: false)
        #expect(p.status(Self.other, .syncStandby) == nil, "status: online nodes only")
        #expect(p.otherScore(Self.other, .cannotPromote) == nil, "score: online nodes only")
        #expect(p.dataStatus(Self.other, .disconnect)?.value == "DISCONNECT", "data-status: any member")
        #expect(p.dataStatus(Self.offline, .disconnect) == nil, "not a member: nothing")
    }

    @Test func aMissingScoreIsLeftToPacemaker() {
        #expect(planner([:]).otherScore(Self.other, .cannotPromote) == nil)
        #expect(planner(["master-pgsql": "100"]).otherScore(Self.other, .cannotPromote)?.value == "-INFINITY")
    }

    @Test func deletionOnlyWhenPresent() {
        #expect(planner([:]).own("pgsql-master-baseline", nil) == nil)
        let p = AttributePlanner(
            names: Self.names, me: Self.me,
            nodes: [Self.me: NodeAttributes(online: true, values: ["pgsql-master-baseline": "0000000003000060"])])
        #expect(p.own("pgsql-master-baseline", nil) == AttributeWrite(
            node: Self.me, name: "pgsql-master-baseline", value: nil, lifetime: .reboot))
    }
}

/// A standby's master right (`have_master_right`) over successive monitors.
@Suite struct MasterRightTests {
    static let me = NodeName("pgn2")!, peer = NodeName("pgn3")!

    func input(
        _ status: DataStatus? = .streamingSync, mode: ReplicationMode = .sync, mine: UInt64 = 0x3000060,
        peer: String? = "0000000003000060", last: Int = 0, note: String? = nil
    ) -> MasterRight.Input {
        var locations: [(node: NodeName, location: String)] = [(Self.me, LSN(mine).attribute)]
        if let peer { locations.append((Self.peer, peer)) }
        return MasterRight.Input(
            mode: mode, dataStatus: status, me: Self.me, myLocation: LSN(mine), locations: locations,
            lastNoteIndex: last, lastNote: note, checkCount: 3)
    }

    static let snapshot = "pgn2 0000000003000060\npgn3 0000000003000060"

    @Test(arguments: [
        ("sync: never set is acceptable", nil as DataStatus?, ReplicationMode.sync, true),
        ("sync: LATEST", .latest, .sync, true), ("sync: STREAMING|SYNC", .streamingSync, .sync, true),
        ("sync: STREAMING|ASYNC is out of date", .streamingAsync, .sync, false),
        ("async: STREAMING|ASYNC", .streamingAsync, .async, true),
        ("DISCONNECT is out of date", .disconnect, .async, false),
        ("STREAMING|POTENTIAL is out of date", .streamingPotential, .sync, false),
    ])
    func dataStatusGate(_ name: String, _ status: DataStatus?, _ mode: ReplicationMode, _ ok: Bool) {
        #expect(MasterRight.acceptable(status, mode: mode) == ok, "\(name)")
    }

    @Test func firstMonitorStartsTheSeries() {
        let d = MasterRight.decide(input())
        #expect(d.verdict == .collecting)
        #expect(d.notes == .reset(content: Self.snapshot))
    }

    @Test func identicalSnapshotsCountUp() {
        #expect(MasterRight.decide(input(last: 0, note: Self.snapshot)).notes == .write(index: 1, content: Self.snapshot))
        #expect(MasterRight.decide(input(last: 1, note: Self.snapshot)).verdict == .collecting)
    }

    @Test func aChangedSnapshotRestarts() {
        let d = MasterRight.decide(input(last: 2, note: "pgn2 0000000003000000\npgn3 0000000003000060"))
        #expect(d.verdict == .collecting)
        #expect(d.notes == .reset(content: Self.snapshot))
    }

    @Test func stableAndNewestHasTheRight() {
        #expect(MasterRight.decide(input(last: 2, note: Self.snapshot)).verdict == .haveRight)
    }

    @Test func stableButOlderLoses() {
        let older = "pgn2 0000000003000000\npgn3 0000000003000060"
        let d = MasterRight.decide(input(mine: 0x3000000, last: 2, note: older))
        #expect(d.verdict == .notNewest(newest: "0000000003000060"))
        #expect(d.notes == .reset(content: older))
    }

    @Test func outOfDateNeverTouchesNotes() {
        let d = MasterRight.decide(input(.disconnect, last: 2, note: Self.snapshot))
        #expect(d.verdict == .outOfDate(.disconnect))
        #expect(d.notes == .none)
    }

    @Test(arguments: [
        ("my baseline newer: ban myself", "0000000003000100", "0000000003000060", true),
        ("equal: follow", "0000000003000060", "0000000003000060", false),
        ("older: follow", "0000000003000000", "0000000003000060", false),
        ("unknown baseline: follow", nil, "0000000003000060", false),
    ] as [(String, String?, String?, Bool)])
    func prePromoteBaseline(_ name: String, _ mine: String?, _ theirs: String?, _ newer: Bool) {
        #expect(MasterRight.newerThanPromoted(myBaseline: mine, promotedBaseline: theirs) == newer, "\(name)")
    }
}
