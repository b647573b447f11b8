import Replication
import Testing

/// The order of the primary's effects (`PrimaryControlPlan`), one named row per scenario.
@Suite struct PrimaryControlPlanTests {
    static let names = ResourceAttributes(resource: "pgsql")
    static let pgn2 = NodeName.fixture("pgn2"), pgn3 = NodeName.fixture("pgn3")

    static func w(_ node: NodeName, _ name: String, _ value: String?) -> AttributeWrite {
        AttributeWrite(node: node, name: name, value: value, lifetime: name == names.dataStatus ? .forever : .reboot)
    }
    static let pgn2Disconnect = w(pgn2, names.dataStatus, "DISCONNECT")
    static let pgn2Minus = w(pgn2, names.promotionScore, "-INFINITY")
    static let pgn3Async = w(pgn3, names.dataStatus, "STREAMING|ASYNC")
    static let pgn3Status = w(pgn3, names.status, "HS:async")
    static let pgn2Sync = w(pgn2, names.dataStatus, "STREAMING|SYNC")
    static let pgn2Hundred = w(pgn2, names.promotionScore, "100")
    static let pgn2StatusSync = w(pgn2, names.status, "HS:sync")

    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let writes: [AttributeWrite]
        let current: [String]
        let next: [String]?
        let quorum: Bool?
        let expected: [PrimaryStep]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(
            name: "sync standby lost: marked unpromotable, confirmed, then async",
            writes: [pgn2Disconnect, pgn2Minus], current: ["pgn2"], next: [], quorum: true,
            expected: [
                .write([pgn2Disconnect, pgn2Minus]), .confirm([pgn2Disconnect, pgn2Minus]),
                .synchronousStandbyNames(.none),
            ]),
        Row(
            name: "sync standby lost without quorum: commits keep waiting, nothing written for others",
            writes: [pgn2Disconnect, pgn2Minus], current: ["pgn2"], next: [], quorum: false,
            expected: [.keepSynchronousWithoutQuorum(.none)]),
        Row(
            name: "sync standby lost, quorum unknown (no cluster view): commits keep waiting",
            writes: [], current: ["pgn2"], next: [], quorum: nil,
            expected: [.keepSynchronousWithoutQuorum(.none)]),
        Row(
            name: "sync standby replaced by the async one: pgn2 marked and confirmed before pgn3 is named",
            writes: [pgn2Disconnect, pgn2Minus, pgn3Async, pgn3Status], current: ["pgn2"], next: ["pgn3"],
            quorum: true,
            expected: [
                .write([pgn2Disconnect, pgn2Minus, pgn3Async]), .confirm([pgn2Disconnect, pgn2Minus, pgn3Async]),
                .synchronousStandbyNames(SynchronousStandbyNames(["pgn3"])), .write([pgn3Status]),
            ]),
        Row(
            name: "first synchronous standby named: no confirmation needed (commits wait more, not less)",
            writes: [pgn3Async, pgn3Status], current: [], next: ["pgn3"], quorum: true,
            expected: [
                .write([pgn3Async]), .synchronousStandbyNames(SynchronousStandbyNames(["pgn3"])),
                .write([pgn3Status]),
            ]),
        Row(
            name: "first synchronous standby named without quorum: named (commits wait more), nothing written",
            writes: [pgn3Async, pgn3Status], current: [], next: ["pgn3"], quorum: false,
            expected: [.synchronousStandbyNames(SynchronousStandbyNames(["pgn3"]))]),
        Row(
            name: "no change of names: lowering writes first, promoting writes after",
            writes: [pgn2Sync, pgn2Hundred, pgn2StatusSync, pgn3Async], current: ["pgn2"], next: nil, quorum: true,
            expected: [.write([pgn3Async]), .write([pgn2Sync, pgn2Hundred, pgn2StatusSync])]),
        Row(name: "nothing to do", writes: [], current: ["pgn2"], next: nil, quorum: true, expected: []),
    ]

    @Test(arguments: rows)
    func plan(_ row: Row) {
        let steps = PrimaryControlPlan.steps(
            PrimaryControlPlan.Input(
                names: PrimaryControlPlanTests.names, writes: row.writes, current: SynchronousStandbyNames(row.current),
                next: row.next.map { SynchronousStandbyNames($0) }, quorum: row.quorum))
        #expect(steps == row.expected)
    }
}
