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
    ] as [(String, Bool?, WALReceiverStatus.Receiver, WALReceiverStatus)])
    func status(_ scenario: String, _ inRecovery: Bool?, _ receiver: WALReceiverStatus.Receiver, _ expected: WALReceiverStatus) {
        #expect(WALReceiverStatus(inRecovery: inRecovery, receiver: receiver) == expected, "\(scenario)")
    }

    @Test func attributeValuesAreTheShellAgents() {
        #expect(WALReceiverStatus.allCases.map(\.rawValue) == ["normal", "normal (master)", "ERROR"])
    }

    @Test(arguments: [
        ("no receiver", [["t", nil, nil]], true, WALReceiverStatus.Receiver.absent),
        ("streaming", [["t", "4242", "streaming"]], true, .state("streaming")),
        ("hidden status", [["t", "4242", nil]], true, .unreadable),
        ("primary", [["f", nil, nil]], false, .absent),
    ] as [(String, [[String?]], Bool, WALReceiverStatus.Receiver)])
    func parse(_ scenario: String, _ rows: [[String?]], _ inRecovery: Bool, _ receiver: WALReceiverStatus.Receiver) throws {
        let parsed = try #require(WALReceiverStatus.parse(rows), "\(scenario)")
        #expect(parsed.inRecovery == inRecovery && parsed.receiver == receiver, "\(scenario)")
    }

    @Test(arguments: [
        [], [["t", nil]], [["x", nil, nil]], [[nil, nil, nil]], [["t", nil, nil], ["t", nil, nil]],
    ] as [[[String?]]])
    func malformedAnswers(_ rows: [[String?]]) { #expect(WALReceiverStatus.parse(rows) == nil) }
}
