@testable import Agent
import Testing

@Suite struct StopEscalationTests {
    @Test(
        arguments: [
            (90, nil, 90), (90, 120_000, 90), (90, 60_000, 50), (90, 90_000, 80), (60, 20_000, 10), (30, 5_000, -5),
            (0, 120_000, 0),
        ] as [(Int, Int?, Int)])
    func escalationLeavesTenSecondsOfTheTimeout(_ configured: Int, _ timeout: Int?, _ expected: Int) {
        #expect(StopAction.escalationSeconds(configured: configured, timeoutMilliseconds: timeout) == expected)
    }

    @Test func budgetKeepsAMarginForReporting() {
        #expect(Agent.safeBudget(milliseconds: 20_000) == .milliseconds(18_000))
        #expect(Agent.safeBudget(milliseconds: 5_000) == .milliseconds(4_500))
        #expect(Agent.safeBudget(milliseconds: 0) == .zero)
    }
}
