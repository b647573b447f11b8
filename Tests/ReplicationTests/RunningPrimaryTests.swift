import Replication
import Testing

/// Whether a PostgreSQL running as a primary may act as the cluster's primary (`RunningPrimary`).
@Suite struct RunningPrimaryTests {
    static let pgn1 = NodeName.fixture("pgn1"), pgn2 = NodeName.fixture("pgn2")

    @Test(
        arguments: [
            ("the promoted primary itself", [pgn1], [pgn1: DataStatus.latest, pgn2: .streamingSync], true),
            ("another node is promoted: stale", [pgn2], [pgn1: .latest, pgn2: .latest], false),
            (
                "refresh of the real primary (nothing promoted, own LATEST)", [], [pgn1: .latest, pgn2: .disconnect],
                true
            ),
            (
                "nothing promoted, own DISCONNECT while pgn2 is LATEST: stale", [], [pgn1: .disconnect, pgn2: .latest],
                false
            ),
            ("first start of a hand-started primary (no data status yet)", [], [:], true),
            (
                "nothing promoted, own DISCONNECT, nobody LATEST: stale", [], [pgn1: .disconnect, pgn2: .disconnect],
                false
            ),
            (
                "nothing promoted, no data status of its own while pgn2 has one: stale", [], [pgn2: .streamingSync],
                false
            ),
            (
                "promoted here and elsewhere (a switchover seen mid-way): this node is promoted", [pgn1, pgn2],
                [pgn1: .latest, pgn2: .latest], true
            ),
        ] as [(String, [NodeName], [NodeName: DataStatus], Bool)])
    func verdict(_ name: String, _ promoted: [NodeName], _ status: [NodeName: DataStatus], _ isPrimary: Bool) {
        let verdict = RunningPrimary.judge(me: RunningPrimaryTests.pgn1, promoted: promoted, dataStatus: status)
        #expect((verdict == .primary) == isPrimary, "\(name): \(verdict)")
    }
}

/// When a standby may skip the cluster query (`StandbyShortcut`).
@Suite struct StandbyShortcutTests {
    @Test(
        arguments: [
            ("streaming, heard from the primary 0.2 s ago", WALReceiverStatus.Receiver.state("streaming"), 0.2, true),
            ("streaming, silent for 25 s (power-off, frozen host)", .state("streaming"), 25.0, false),
            ("streaming, age unknown (hidden column)", .state("streaming"), nil, false),
            ("waiting receiver", .state("waiting"), 0.1, false),
            ("no receiver", .absent, nil, false),
        ] as [(String, WALReceiverStatus.Receiver, Double?, Bool)])
    func shortcut(_ name: String, _ receiver: WALReceiverStatus.Receiver, _ age: Double?, _ applies: Bool) {
        #expect(StandbyShortcut.applies(receiver: receiver, lastMessageAge: age) == applies, "\(name)")
    }

    @Test func receiptAgeIsReadFromTheMonitorQuery() {
        #expect(WALReceiverStatus.lastMessageAge([["t", "123", "streaming", "0.25"]]) == 0.25)
        #expect(WALReceiverStatus.lastMessageAge([["t", nil, nil, nil]]) == nil)
        #expect(WALReceiverStatus.parse([["t", "123", "streaming", "0.25"]])?.receiver == .state("streaming"))
        #expect(WALReceiverStatus.query(postgresMajor: 15).contains("last_msg_receipt_time"))
    }
}
