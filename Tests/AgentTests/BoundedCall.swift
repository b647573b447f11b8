#if canImport(Glibc)
    import Glibc
#endif

/// Runs a call that might block (an `open(2)` of a FIFO) on a thread of its own.
///
/// A test then fails instead of hanging: after `limit`, `unblock` is called (it must make the call
/// return, e.g. by opening the FIFO's other end) and the outcome says the call blocked.
final class BoundedCall<Value: Sendable>: @unchecked Sendable {
    struct Outcome {
        var value: Value
        /// Whether the call had not returned within the limit.
        var blocked: Bool
    }

    private var lock = pthread_mutex_t()
    private var result: Value?

    private init() {
        pthread_mutex_init(&lock, nil)
    }

    /// - Returns: the outcome, or `nil` when no thread could be started.
    static func run(_ limit: Duration = .seconds(3), unblock: () -> Void, _ body: @escaping () -> Value) -> Outcome? {
        let call = BoundedCall()
        guard
            let thread = ThreadStart.spawn({
                let value = body()
                call.store(value)
            })
        else { return nil }
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: limit)
        var blocked = false
        while call.value == nil {
            if clock.now >= end {
                blocked = true
                unblock()
                break
            }
            usleep(5_000)
        }
        pthread_join(thread, nil)
        guard let value = call.value else { return nil }
        return Outcome(value: value, blocked: blocked)
    }

    private func store(_ value: Value) {
        pthread_mutex_lock(&lock)
        result = value
        pthread_mutex_unlock(&lock)
    }

    private var value: Value? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return result
    }
}

/// The body of a pthread, handed over through its opaque argument.
private final class ThreadStart {
    let body: () -> Void

    init(_ body: @escaping () -> Void) { self.body = body }

    static func spawn(_ body: @escaping () -> Void) -> pthread_t? {
        let context = Unmanaged.passRetained(ThreadStart(body)).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, threadEntry, context) == 0 else {
            Unmanaged<ThreadStart>.fromOpaque(context).release()
            return nil
        }
        return thread
    }
}

private func threadEntry(_ raw: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let raw else { return nil }
    Unmanaged<ThreadStart>.fromOpaque(raw).takeRetainedValue().body()
    return nil
}
