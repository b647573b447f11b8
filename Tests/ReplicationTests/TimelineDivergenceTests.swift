import Replication
import Testing

@Suite struct TimelineDivergenceTests {
    typealias Verdict = TimelineDivergence.Verdict

    /// Every LSN of the rows is above 0/0, so a malformed one shows up as a mismatch.
    static func lsn(_ text: String) -> LSN { LSN(postgres: text) ?? LSN(0) }

    static func diverged(_ new: UInt32, from tli: UInt32, at fork: String?, replayed: String) -> Verdict {
        .diverged(
            TimelineDivergence.Divergence(
                newTimeline: new, timeline: tli, forkPoint: fork.map(lsn), replayed: lsn(replayed)))
    }

    static let promotion2 = "1\t0/3026680\tno recovery target specified\n"
    static let promotion3 = "1\t0/3000000\tno recovery target specified\n\n2\t0/5000000\tno recovery target specified\n"
    /// Timeline 4 forked off timeline 3, which came from 1 (2 is a sibling branch).
    static let promotion4 = "1\t0/3000000\tno recovery target specified\n3\t0/7000000\tno recovery target specified\n"

    @Test(
        arguments: [
            (
                "old primary replayed past the fork", 1, "0/3029A10", 2, promotion2, false,
                diverged(2, from: 1, at: "0/3026680", replayed: "0/3029A10")
            ),
            ("the same, its WAL receiver streaming: not judged", 1, "0/3029A10", 2, promotion2, true, .notJudged),
            ("replayed exactly to the fork: follows", 1, "0/3026680", 2, promotion2, false, .follows),
            ("lagging standby before the fork: follows", 1, "0/3000100", 2, promotion2, false, .follows),
            ("no newer timeline than mine", 2, "0/9000000", 2, promotion2, false, .notJudged),
            ("my timeline is newer than the history", 3, "0/9000000", 2, promotion2, false, .notJudged),
            (
                "two promotions, on timeline 2 before the second fork: follows", 2, "0/4000000", 3, promotion3, false,
                .follows
            ),
            (
                "two promotions, on timeline 1 before the first fork: follows", 1, "0/2000000", 3, promotion3, false,
                .follows
            ),
            (
                "two promotions, timeline 2 replayed past the second fork", 2, "0/6000000", 3, promotion3, false,
                diverged(3, from: 2, at: "0/5000000", replayed: "0/6000000")
            ),
            (
                "timeline 1 replayed past the first fork, newest is 3", 1, "0/3000001", 3, promotion3, false,
                diverged(3, from: 1, at: "0/3000000", replayed: "0/3000001")
            ),
            (
                "my timeline is not in the new timeline's chain", 2, "0/4000000", 4, promotion4, false,
                diverged(4, from: 2, at: nil, replayed: "0/4000000")
            ),
            ("malformed history file", 1, "0/3029A10", 2, "1\tnot-an-lsn\treason\n", false, .cannotTell),
            ("empty history file", 1, "0/3029A10", 2, "", false, .cannotTell),
            (
                "history of timeline 2 listing timeline 2 as a parent", 1, "0/3029A10", 2, "1\t0/1\tx\n2\t0/2\tx\n",
                false,
                .cannotTell
            ),
        ] as [(String, UInt32, String, UInt32, String, Bool, Verdict)])
    func decide(
        _ name: String, _ mine: UInt32, _ replayed: String, _ newest: UInt32, _ history: String, _ streaming: Bool,
        _ expected: Verdict
    ) {
        let verdict = TimelineDivergence.decide(
            replayTimeline: mine, replayLSN: Self.lsn(replayed), newestTimeline: newest, history: history,
            streaming: streaming)
        #expect(verdict == expected, "\(name)")
    }

    @Test func unreadableHistoryCannotTell() {
        #expect(
            TimelineDivergence.decide(
                replayTimeline: 1, replayLSN: Self.lsn("0/3029A10"), newestTimeline: 2, history: nil, streaming: false)
                == .cannotTell)
    }

    /// The whole check as the monitor runs it: pg_wal's names, then the history of the newest timeline.
    static func check(_ names: [String], replayed: String, histories: [UInt32: String], streaming: Bool = false)
        -> Verdict
    {
        let directory = TimelineDivergence.WALDirectory(names: names)
        guard let newest = directory.historyToRead, let mine = directory.replayTimeline else { return .notJudged }
        return TimelineDivergence.decide(
            replayTimeline: mine, replayLSN: lsn(replayed), newestTimeline: newest, history: histories[newest],
            streaming: streaming)
    }

    @Test(
        arguments: [
            (
                "old primary restarted as a standby of the promoted node (only timeline-1 segments)",
                [
                    "000000010000000000000002", "000000010000000000000003", "000000010000000000000004",
                    "00000002.history",
                    "archive_status",
                ],
                diverged(2, from: 1, at: "0/3026680", replayed: "0/3029A10")
            ),
            (
                "healthy standby that followed the promotion: it holds timeline-2 segments (its restartpoint, and so "
                    + "pg_control_checkpoint().timeline_id, still on timeline 1)",
                ["000000010000000000000003", "000000020000000000000003", "00000002.history"], .notJudged
            ),
            (
                "standby still on timeline 1 that has not seen the new history file", ["000000010000000000000003"],
                .notJudged
            ),
            (
                "standby on timeline 2, history files of timelines 2 and older only",
                ["000000010000000000000002", "000000020000000000000003", "00000002.history"], .notJudged
            ),
        ] as [(String, [String], Verdict)])
    func wholeCheck(_ name: String, _ names: [String], _ expected: Verdict) {
        #expect(Self.check(names, replayed: "0/3029A10", histories: [2: Self.promotion2]) == expected, "\(name)")
    }

    @Test func laggingRestartpointTimelineWouldBeAFalseDivergence() {
        // Why the replay timeline comes from the segments: judged with the restartpoint's timeline (1), the
        // healthy standby above, replaying timeline 2 past the fork, would be reported.
        #expect(
            TimelineDivergence.decide(
                replayTimeline: 1, replayLSN: Self.lsn("0/3029A10"), newestTimeline: 2, history: Self.promotion2,
                streaming: false) == Self.diverged(2, from: 1, at: "0/3026680", replayed: "0/3029A10"))
    }

    @Test func directoryNames() {
        let directory = TimelineDivergence.WALDirectory(names: [
            "000000010000000000000001", "00000003000000010000002A", "000000010000000000000002.partial",
            "000000010000000000000002.00000028.backup", "00000002.history", "0000000A.history", "00000000.history",
            "0000000b.history", "00000001000000000000000a", "archive_status", "xlogtemp.1234", "RECOVERYXLOG",
            "RECOVERYHISTORY", "00000004.history.tmp", ".", "..",
        ])
        #expect(directory.segmentTimelines == [1, 3])
        #expect(directory.historyTimelines == [2, 10])
        #expect(directory.newestTimeline == 10)
        #expect(directory.replayTimeline == 3)
        #expect(directory.historyToRead == 10)
    }

    @Test(
        arguments: [
            ("no history file", ["000000010000000000000001"], nil),
            ("no segment", ["00000002.history"], nil),
            (
                "segments of the newest timeline present",
                [
                    "000000010000000000000001", "000000020000000000000001",
                    "00000002.history",
                ], nil
            ),
            (
                "newest timeline newer than every segment",
                [
                    "000000010000000000000001", "00000003.history",
                    "00000002.history",
                ], 3
            ),
            (
                "a segment newer than every history file: not judged",
                ["000000010000000000000001", "000000050000000000000001", "00000002.history"], nil
            ),
        ] as [(String, [String], UInt32?)])
    func historyToRead(_ name: String, _ names: [String], _ expected: UInt32?) {
        #expect(TimelineDivergence.WALDirectory(names: names).historyToRead == expected, "\(name)")
    }

    @Test func historyFileNames() {
        #expect(TimelineDivergence.WALDirectory.historyFileName(2) == "00000002.history")
        #expect(TimelineDivergence.WALDirectory.historyFileName(0x1A) == "0000001A.history")
    }

    @Test(
        arguments: [
            ("one promotion", promotion2, [(1, "0/3026680")]),
            (
                "comments, blank lines, spaces and CRLF",
                "# comment\n\n   \n1 0/3000000 no recovery target specified\r\n  # indented comment\n2\t0/5000000\n",
                [(1, "0/3000000"), (2, "0/5000000")]
            ),
            ("no reason field", "1\t0/3000000\n", [(1, "0/3000000")]),
            ("only comments", "# nothing\n", []),
        ] as [(String, String, [(UInt32, String)])])
    func parse(_ name: String, _ content: String, _ expected: [(UInt32, String)]) {
        let forks = TimelineDivergence.parseHistory(content)
        #expect(forks == expected.map { TimelineDivergence.Fork(parent: $0.0, switchpoint: Self.lsn($0.1)) }, "\(name)")
    }

    @Test(arguments: [
        "x\t0/3000000\treason\n", "1\n", "1\t3000000\treason\n", "2\t0/3000000\n1\t0/4000000\n",
        "1\t0/3000000\n1\t0/4000000\n", "-1\t0/3000000\n", "99999999999\t0/1\n",
    ])
    func malformedHistories(_ content: String) {
        #expect(TimelineDivergence.parseHistory(content) == nil, "\(content.debugDescription)")
    }

    @Test func reasonsNameTheDivergence() {
        let forked = TimelineDivergence.Divergence(
            newTimeline: 2, timeline: 1, forkPoint: Self.lsn("0/3026680"), replayed: Self.lsn("0/3029A10"))
        #expect(
            forked.reason
                == "Timeline 2 forked off timeline 1 at 0/3026680, this standby replayed to 0/3029A10: diverged, rebuild it"
        )
        let foreign = TimelineDivergence.Divergence(
            newTimeline: 4, timeline: 2, forkPoint: nil, replayed: Self.lsn("0/4000000"))
        #expect(
            foreign.reason
                == "Timeline 4 does not descend from timeline 2, this standby replayed to 0/4000000: diverged, rebuild it"
        )
        // The longest LSNs and two-digit timelines still fit in the 128 characters Pacemaker keeps.
        let longest = TimelineDivergence.Divergence(
            newTimeline: 99, timeline: 98, forkPoint: LSN(UInt64.max - 1), replayed: LSN(UInt64.max))
        #expect(longest.reason.count <= 128, "\(longest.reason.count)")
    }
}
