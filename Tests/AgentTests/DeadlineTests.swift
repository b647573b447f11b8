import Exec
import Testing

/// Every wait in the agent is bounded by the action's deadline, or by a shorter per-step limit.
@Suite struct DeadlineTests {
    @Test func aShorterLimitComesFirst() {
        let action = Deadline(after: .seconds(60))
        let step = action.capped(at: .seconds(5))
        #expect(step.instant < action.instant)
        #expect(step.remaining <= .seconds(5))
    }

    @Test func theActionDeadlineWinsOverALongerLimit() {
        let action = Deadline(after: .seconds(2))
        #expect(action.capped(at: .seconds(30)).instant == action.instant)
    }
}
