import Exec
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A C call that may block without a timeout runs in a child bounded by the deadline.
@Suite struct ForkedCallTests {
    @Test func theChildsAnswerComesBack() {
        let outcome = ForkedCall.run(
            { _, fd in
                let text: StaticString = "a 10.0.0.1\n.\n"
                _ = write(fd, text.utf8Start, text.utf8CodeUnitCount)
            }, context: nil, until: Deadline(after: .seconds(10)))
        #expect(outcome == .finished("a 10.0.0.1\n.\n"))
    }

    @Test func aChildThatBlocksIsKilledAtTheDeadline() {
        let start = ContinuousClock.now
        let outcome = ForkedCall.run({ _, _ in sleep(30) }, context: nil, until: Deadline(after: .milliseconds(300)))
        let took = start.duration(to: .now)
        #expect(outcome == .timedOut)
        #expect(took >= .milliseconds(300))
        #expect(took < .milliseconds(800), "took \(took)")
    }
}
