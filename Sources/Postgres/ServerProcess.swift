#if canImport(Glibc)
    import Glibc
#endif

/// Whether the postmaster of a data directory is alive, judged from `postmaster.pid` and the kernel.
///
/// The shell agent trusted `kill -0 <pid>` alone, so a reused pid (common in containers, where the
/// postmaster's pid is small) looked like a running server. Here the process must also have the data
/// directory as its working directory (the postmaster `chdir`s there), when the kernel lets us see it.
public enum ServerProcess {
    public enum State: Equatable, Sendable {
        case notRunning
        /// A pid file exists but names no live postmaster of this data directory.
        case stalePidFile
        case running(PostmasterPidFile)
    }

    public static func state(dataDirectory: String) -> State {
        guard let contents = TextFile.read(dataDirectory + "/postmaster.pid") else { return .notRunning }
        guard let pidFile = PostmasterPidFile(contents: contents) else { return .stalePidFile }
        guard isAlive(pidFile.pid) else { return .stalePidFile }
        if let cwd = workingDirectory(of: pidFile.pid), let data = realPath(dataDirectory), cwd != data {
            return .stalePidFile
        }
        return .running(pidFile)
    }

    /// Whether the given pid is still alive.
    /// A killed postmaster stays a zombie until its parent reaps it: `kill -0` still succeeds then,
    /// so the process state in `/proc/<pid>/stat` is checked too.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        return !isZombie(pid)
    }

    public static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = TextFile.read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].first { $0 != " " }
        return state == "Z" || state == "X"
    }

    static func workingDirectory(of pid: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/\(pid)/cwd", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
