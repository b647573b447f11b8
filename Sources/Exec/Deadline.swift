#if canImport(Glibc)
    import Glibc
#endif

/// The moment an action must be finished by; every wait in the agent is bounded by one.
public struct Deadline: Sendable {
    public let instant: ContinuousClock.Instant

    public init(after duration: Duration) {
        instant = ContinuousClock.now.advanced(by: duration)
    }

    public init(instant: ContinuousClock.Instant) {
        self.instant = instant
    }

    /// This deadline, or `duration` from now if that comes first.
    public func capped(at duration: Duration) -> Deadline {
        let other = Deadline(after: duration)
        return other.instant < instant ? other : self
    }

    /// A deadline `duration` before this one (a step that must leave time for a later one).
    public func earlier(by duration: Duration) -> Deadline {
        Deadline(instant: instant - duration)
    }

    /// Time left; zero once expired.
    public var remaining: Duration {
        let left = ContinuousClock.now.duration(to: instant)
        return left > .zero ? left : .zero
    }

    public var isExpired: Bool { remaining == .zero }

    /// The remaining time in whole milliseconds, for poll(2).
    public var remainingMilliseconds: Int32 {
        let (seconds, attoseconds) = remaining.components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: millis)
    }

    /// Sleeps for `duration`, or until the deadline if that comes first.
    public func sleep(_ duration: Duration) {
        let span = min(duration, remaining)
        let (seconds, attoseconds) = span.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var left = timespec()
        while nanosleep(&request, &left) != 0 && errno == EINTR {
            request = left
        }
    }
}
