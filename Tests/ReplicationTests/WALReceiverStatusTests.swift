import Replication
import Testing

@Suite struct WALReceiverStatusTests {
    @Test(arguments: [
        ("PostgreSQL down", nil, WALReceiverStatus.Receiver.absent, WALReceiverStatus.error),
        ("primary", false, .absent, .primary),
        ("primary, stale receiver row", false, .state("stopping"), .primary),
        ("standby streaming", true, .state("streaming"), .normal),
        ("standby, receiver waiting", true, .state("waiting"), .error),
        ("standby, receiver starting", true, .state("starting"), .error),
        ("standby without receiver (primary unreachable)", true, .absent, .error),
        ("standby, status hidden from monitor_user", true, .unreadable, .normal),
        ("standby on PostgreSQL < 9.6: not reported", true, .unknown, nil),
        ("primary on PostgreSQL < 9.6", false, .unknown, .primary),
    ] as [(String, Bool?, WALReceiverStatus.Receiver, WALReceiverStatus?)])
    func status(_ scenario: String, _ inRecovery: Bool?, _ receiver: WALReceiverStatus.Receiver, _ expected: WALReceiverStatus?) {
        #expect(WALReceiverStatus(inRecovery: inRecovery, receiver: receiver) == expected, "\(scenario)")
    }

    @Test(arguments: [(15, 0, true), (10, 0, true), (9, 6, true), (9, 5, false), (9, 1, false)])
    func queryUsesTheViewFrom96(_ major: Int, _ minor: Int, _ usesView: Bool) {
        #expect(WALReceiverStatus.query(postgresMajor: major, minor: minor).contains("pg_stat_wal_receiver") == usesView)
    }

    @Test func unknownVersionUsesTheView() {
        #expect(WALReceiverStatus.query(postgresMajor: nil).contains("pg_stat_wal_receiver"))
    }

    @Test func attributeValuesAreTheShellAgents() {
        #expect(WALReceiverStatus.allCases.map(\.rawValue) == ["normal", "normal (master)", "ERROR"])
    }

    @Test(arguments: [
        ("no receiver", [["t", nil, nil]], true, WALReceiverStatus.Receiver.absent),
        ("streaming", [["t", "4242", "streaming"]], true, .state("streaming")),
        ("hidden status", [["t", "4242", nil]], true, .unreadable),
        ("primary", [["f", nil, nil]], false, .absent),
        ("PostgreSQL < 9.6", [["t"]], true, .unknown),
    ] as [(String, [[String?]], Bool, WALReceiverStatus.Receiver)])
    func parse(_ scenario: String, _ rows: [[String?]], _ inRecovery: Bool, _ receiver: WALReceiverStatus.Receiver) throws {
        let parsed = try #require(WALReceiverStatus.parse(rows), "\(scenario)")
        #expect(parsed.inRecovery == inRecovery && parsed.receiver == receiver, "\(scenario)")
    }

    @Test(arguments: [
        [], [["t", nil]], [["x", nil, nil]], [[nil]], [[nil, nil, nil]], [["t", nil, nil], ["t", nil, nil]],
    ] as [[[String?]]])
    func malformedAnswers(_ rows: [[String?]]) { #expect(WALReceiverStatus.parse(rows) == nil) }
}
