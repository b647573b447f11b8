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

    /// Another agent's or version's value may differ in case, length or form: string order is not
    /// WAL order, and an unparsable value is never the newest.
    @Test(
        arguments: [
            ("equal, peer in lower case", 0x30000A0, "00000000030000a0", nil as String?),
            ("peer older, in lower case", 0x30000B0, "00000000030000a0", nil),
            ("peer newer, in lower case", 0x30000A0, "00000000030000b0", "00000000030000b0"),
            ("peer older, shorter string", 0x3000060, "300005F", nil),
            ("peer newer, shorter string", 0x3000060, "3000100", "3000100"),
            ("peer newer, PostgreSQL form", 0x3000060, "0/3000100", "0/3000100"),
            ("peer unparsable", 0x3000060, "garbage", nil),
        ] as [(String, UInt64, String, String?)])
    func locationsCompareAsLSNs(_ name: String, _ mine: UInt64, _ peer: String, _ newer: String?) {
        let note = "pgn2 \(LSN(mine).attribute)\npgn3 \(peer)"
        let d = MasterRight.decide(input(mine: mine, peer: peer, last: 2, note: note))
        #expect(d.verdict == (newer.map { .notNewest(newest: $0) } ?? .haveRight), "\(name)")
        #expect(d.unreadable == (LSN(attribute: peer) == nil ? [Self.peer] : []), "\(name)")
    }

    @Test(
        arguments: [
            ("my baseline newer: ban myself", "0000000003000100", "0000000003000060", true),
            ("equal: follow", "0000000003000060", "0000000003000060", false),
            ("older: follow", "0000000003000000", "0000000003000060", false),
            ("unknown baseline: follow", nil, "0000000003000060", false),
            ("equal, mine in lower case: follow", "00000000030000a0", "00000000030000A0", false),
            ("mine older, shorter string: follow", "300005F", "0000000003000060", false),
            ("mine newer, PostgreSQL form: ban myself", "0/3000100", "0000000003000060", true),
            ("mine newer, lower case: ban myself", "00000000030000b0", "00000000030000A0", true),
            ("mine unparsable: follow", "garbage", "0000000003000060", false),
            ("theirs unparsable: follow", "0000000003000060", "garbage", false),
        ] as [(String, String?, String?, Bool)])
    func prePromoteBaseline(_ name: String, _ mine: String?, _ theirs: String?, _ newer: Bool) {
        #expect(MasterRight.newerThanPromoted(myBaseline: mine, promotedBaseline: theirs) == newer, "\(name)")
    }
}
