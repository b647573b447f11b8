#if canImport(Glibc)
    import Glibc
#endif
import CShim

/// Runs a C call that can block without a timeout of its own in a child bounded by a deadline.
///
/// For `getaddrinfo` and libpq's `PQcancel`: the forked child writes its answer to a pipe; when the
/// deadline passes first, it is killed with SIGKILL and reaped. The child dies with the agent, so it never outlives
/// the action.
public enum ForkedCall {
    public enum Outcome: Equatable, Sendable {
        /// The child wrote this and exited.
        case finished(String)
        /// The deadline passed first; the child was killed.
        case timedOut
        /// The child could not be started (the errno of the failed step).
        case notStarted(errno: Int32)
    }

    public typealias Body = @convention(c) (UnsafeMutableRawPointer?, Int32) -> Void

    /// Calls `body(context, fd)` in a child and returns what it wrote to `fd`.
    ///
    /// `body` runs in a copy of this process right after fork(2): it must be C code, or Swift that
    /// only calls C functions without allocating (the child of a multi-threaded test process must not
    /// take a lock another thread held).
    public static func run(_ body: Body, context: UnsafeMutableRawPointer?, until deadline: Deadline) -> Outcome {
        guard !deadline.isExpired else { return .timedOut }
        var pid: pid_t = 0
        var fd: Int32 = -1
        let rc = cshim_fork_call(body, context, &pid, &fd)
        guard rc == 0 else { return .notStarted(errno: rc) }
        defer { close(fd) }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = deadline.isExpired ? 0 : poll(&entry, 1, max(1, deadline.remainingMilliseconds))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 && deadline.isExpired {
                kill(pid, SIGKILL)
                reap(pid)
                return .timedOut
            }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                output.append(contentsOf: chunk.prefix(n))
            } else if n == 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
                break  // end of file: the child is exiting
            }
        }
        reap(pid)
        return .finished(String(decoding: output, as: UTF8.self))
    }

    /// Waits for the child's exit (it closed the pipe or was sent SIGKILL, so it is ending).
    ///
    /// A child stuck in uninterruptible sleep is given 200 ms, then left to init when the agent exits.
    private static func reap(_ pid: pid_t) {
        var status: Int32 = 0
        for _ in 0..<200 {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid || (waited < 0 && errno != EINTR) { return }
            usleep(1000)
        }
    }
}
