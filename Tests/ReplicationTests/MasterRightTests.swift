import Replication
import Testing

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
