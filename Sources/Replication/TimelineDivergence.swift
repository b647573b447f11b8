/// Whether a standby can still follow the newest timeline it knows of, or has diverged from it.
///
/// A promotion starts a new timeline and writes `<TLI>.history`: one `parentTLI switchpoint reason`
/// line per ancestor, the switchpoint being where the next timeline of the chain began. A standby that
/// replayed its timeline past the point where the new timeline forked off it (an old primary that
/// kept committing after the fork, a standby that received more than the promoted one), or whose
/// timeline is not in the chain at all, cannot follow: PostgreSQL logs "new timeline N forked off
/// current database system timeline T before current recovery point" (or "is not a child of") and
/// retries for ever, while the standby looks like a connecting standby.
///
/// The replay timeline is not exposed by SQL (`pg_control_checkpoint()` reports the last restartpoint's
/// timeline, which lags behind a standby that followed a promotion). It is taken from the WAL segment
/// files in pg_wal instead: replaying a record needs its segment there, named after its timeline
/// (streamed and archive-restored segments alike; recycled segments carry the timeline they were
/// recycled on, never a later one), so the highest segment timeline is at least the replay timeline.
/// A higher guess only makes a divergence less likely: a standby still replaying an older timeline of
/// the chain ends that timeline before the later one begins. So a healthy standby is never reported;
/// a diverged one is as soon as it is judged (only while its WAL receiver is not streaming).
public enum TimelineDivergence {
    /// One line of a history file: timeline `parent` ended at `switchpoint`.
    public struct Fork: Hashable, Sendable {
        public let parent: UInt32
        public let switchpoint: LSN

        public init(parent: UInt32, switchpoint: LSN) {
            self.parent = parent
            self.switchpoint = switchpoint
        }
    }

    /// What pg_wal holds: the timelines of its WAL segments and of its history files.
    public struct WALDirectory: Equatable, Sendable {
        public var segmentTimelines: Set<UInt32> = []
        public var historyTimelines: Set<UInt32> = []

        /// Sorts the names of pg_wal's entries: `TTTTTTTTXXXXXXXXYYYYYYYY` segments and `TTTTTTTT.history`
        /// files (upper-case hex, as PostgreSQL names them); anything else (`.partial`, `.backup`,
        /// `archive_status`, temporary files) is ignored.
        public init(names: [String]) {
            for name in names {
                let utf8 = Array(name.utf8)
                if utf8.count == 24, utf8.allSatisfy(Self.isUpperHex), let tli = Self.timeline(utf8.prefix(8)) {
                    segmentTimelines.insert(tli)
                } else if utf8.count == 16, name.hasSuffix(".history"), utf8.prefix(8).allSatisfy(Self.isUpperHex),
                    let tli = Self.timeline(utf8.prefix(8))
                {
                    historyTimelines.insert(tli)
                }
            }
        }

        /// The newest timeline pg_wal has a history file of.
        public var newestTimeline: UInt32? { historyTimelines.max() }

        /// At least the timeline this standby replays (see the type's notes): the highest timeline of a
        /// segment in pg_wal.
        public var replayTimeline: UInt32? { segmentTimelines.max() }

        /// The history file the check needs, when there is a newer timeline than this standby's.
        public var historyToRead: UInt32? {
            guard let newest = newestTimeline, let mine = replayTimeline, newest > mine else { return nil }
            return newest
        }

        /// `00000002.history`.
        public static func historyFileName(_ timeline: UInt32) -> String {
            let hex = String(timeline, radix: 16, uppercase: true)
            return String(repeating: "0", count: 8 - hex.count) + hex + ".history"
        }

        private static func isUpperHex(_ c: UInt8) -> Bool { (48...57).contains(c) || (65...70).contains(c) }

        private static func timeline(_ hex: ArraySlice<UInt8>) -> UInt32? {
            UInt32(String(decoding: hex, as: UTF8.self), radix: 16).flatMap { $0 == 0 ? nil : $0 }
        }
    }

    /// Parses a history file as PostgreSQL does.
    ///
    /// Blank lines and `#` comments are skipped, every other line is
    /// `parentTLI<whitespace>X/Y<whitespace>reason`, with parent timelines strictly increasing; nil when
    /// malformed (PostgreSQL refuses such a file too: "invalid data in history file").
    public static func parseHistory(_ content: String) -> [Fork]? {
        var forks: [Fork] = []
        for line in content.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            guard fields.count >= 2, first.allSatisfy(\.isNumber), let parent = UInt32(first),
                let switchpoint = LSN(postgres: String(fields[1])), parent > (forks.last?.parent ?? 0)
            else { return nil }
            forks.append(Fork(parent: parent, switchpoint: switchpoint))
        }
        return forks
    }

    /// A standby that cannot follow timeline `newTimeline`.
    public struct Divergence: Hashable, Sendable {
        public let newTimeline: UInt32
        public let timeline: UInt32
        /// Where the new timeline forked off this standby's timeline; nil when it did not descend from it.
        public let forkPoint: LSN?
        public let replayed: LSN

        public init(newTimeline: UInt32, timeline: UInt32, forkPoint: LSN?, replayed: LSN) {
            self.newTimeline = newTimeline
            self.timeline = timeline
            self.forkPoint = forkPoint
            self.replayed = replayed
        }

        /// The monitor's exit reason (Pacemaker keeps the first 128 characters of one).
        public var reason: String {
            let cause =
                if let forkPoint {
                    "Timeline \(newTimeline) forked off timeline \(timeline) at \(forkPoint)"
                } else {
                    "Timeline \(newTimeline) does not descend from timeline \(timeline)"
                }
            return cause + ", this standby replayed to \(replayed): diverged, rebuild it"
        }
    }

    public enum Verdict: Hashable, Sendable {
        /// Not judged: the WAL receiver streams, or no newer timeline is known.
        case notJudged
        /// The newer timeline continues this standby's history past its replay position.
        case follows
        case diverged(Divergence)
        /// The history file could not be read or parsed.
        case cannotTell
    }

    /// - Parameters:
    ///   - replayTimeline: the standby's timeline (`WALDirectory.replayTimeline`).
    ///   - replayLSN: `pg_last_wal_replay_lsn()`.
    ///   - newestTimeline: the newest timeline with a history file in pg_wal.
    ///   - history: that history file's content, nil when it could not be read.
    ///   - streaming: whether the WAL receiver is streaming (then nothing is judged).
    public static func decide(
        replayTimeline: UInt32, replayLSN: LSN, newestTimeline: UInt32, history: String?, streaming: Bool
    ) -> Verdict {
        guard !streaming, newestTimeline > replayTimeline else { return .notJudged }
        guard let forks = history.flatMap(parseHistory), let last = forks.last, last.parent < newestTimeline else {
            return .cannotTell
        }
        guard let fork = forks.first(where: { $0.parent == replayTimeline }) else {
            return .diverged(
                Divergence(newTimeline: newestTimeline, timeline: replayTimeline, forkPoint: nil, replayed: replayLSN))
        }
        // PostgreSQL's own test (rescanLatestTimeLine): the fork may not lie before the recovery point.
        guard fork.switchpoint < replayLSN else { return .follows }
        return .diverged(
            Divergence(
                newTimeline: newestTimeline, timeline: replayTimeline, forkPoint: fork.switchpoint, replayed: replayLSN)
        )
    }
}
