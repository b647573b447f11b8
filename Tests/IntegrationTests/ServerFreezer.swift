#if canImport(Glibc)
    import Glibc
#endif

/// Freezes PostgreSQL processes with SIGSTOP.
///
/// That is how a hung server looks to a client: connections still enter the listen backlog, nothing
/// answers. A background thread sends SIGCONT after `safety`
/// (and on `thaw()`/deinit), so a test whose code under test hangs fails instead of hanging itself.
final class ServerFreezer: @unchecked Sendable {
    private var pids: [pid_t] = []
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(lock, nil)
    }

    deinit {
        thaw()
        // The watcher holds a reference while it runs, so deinit happens after it ended.
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    /// SIGSTOPs `pids` now and SIGCONTs them after `safety` at the latest.
    func freeze(_ pids: [pid_t], safety: Duration = .seconds(15)) {
        pthread_mutex_lock(lock)
        self.pids += pids
        pthread_mutex_unlock(lock)
        for pid in pids { kill(pid, SIGSTOP) }
        after(safety) { $0.thaw() }
    }

    /// Once `condition` holds (checked every 10 ms, for at most `wait`), freezes the pids it returns.
    func freeze(
        when condition: @escaping @Sendable () -> [pid_t]?, within wait: Duration, safety: Duration = .seconds(15)
    ) {
        let start = ContinuousClock.now
        after(.zero) { freezer in
            while start.duration(to: .now) < wait {
                if let pids = condition() {
                    freezer.freeze(pids, safety: safety)
                    return
                }
                usleep(10_000)
            }
        }
    }

    func thaw() {
        pthread_mutex_lock(lock)
        let frozen = pids
        pids = []
        pthread_mutex_unlock(lock)
        for pid in frozen { kill(pid, SIGCONT) }
    }

    /// Runs `body` on a new detached thread after `delay`.
    private func after(_ delay: Duration, _ body: @escaping @Sendable (ServerFreezer) -> Void) {
        final class Job {
            let freezer: ServerFreezer
            let delay: Duration
            let body: @Sendable (ServerFreezer) -> Void
            init(_ freezer: ServerFreezer, _ delay: Duration, _ body: @escaping @Sendable (ServerFreezer) -> Void) {
                self.freezer = freezer
                self.delay = delay
                self.body = body
            }
        }
        let job = Unmanaged.passRetained(Job(self, delay, body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                let job = Unmanaged<Job>.fromOpaque(context).takeRetainedValue()
                let (seconds, attoseconds) = job.delay.components
                if seconds > 0 || attoseconds > 0 {
                    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
                    var left = timespec()
                    while nanosleep(&request, &left) != 0 && errno == EINTR { request = left }
                }
                job.body(job.freezer)
                return nil
            }, job)
        if rc == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Job>.fromOpaque(job).release()
            body(self)
        }
    }

    /// The processes whose parent is `pid` (a postmaster's backends and auxiliary processes).
    static func children(of pid: pid_t) -> [pid_t] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var found: [pid_t] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let child = pid_t(name), let stat = read("/proc/\(name)/stat") else { continue }
            // "pid (comm) state ppid …": comm may contain spaces, so split after the last ')'.
            guard let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == pid { found.append(child) }
        }
        return found
    }

    /// The command line of `pid` with NULs as spaces; a backend shows its state there (`SELECT`).
    static func commandLine(of pid: pid_t) -> String {
        String((read("/proc/\(pid)/cmdline") ?? "").map { $0 == "\0" ? " " : $0 })
    }

    private static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk.prefix(n)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
