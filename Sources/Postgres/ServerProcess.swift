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
        /// `postmaster.pid` exists but is not read: it is not a regular file (a FIFO would block the
        /// agent, a link leads elsewhere) or reading it failed. `reason` says which ("is a FIFO, not a
        /// regular file"). `postmasters` are the live postmasters found by their working directory
        /// instead (see ``postmasters(of:)``); `nil` when the processes could not be listed.
        case unreadablePidFile(reason: String, postmasters: [Int32]?)

        /// Whether a postmaster of the data directory is (or, when that cannot be told, may be) alive.
        public var isRunning: Bool {
            switch self {
            case .running: true
            case .unreadablePidFile(_, let postmasters): postmasters.map { !$0.isEmpty } ?? true
            case .notRunning, .stalePidFile: false
            }
        }
    }

    public static func state(dataDirectory: String) -> State {
        let contents: String
        switch TextFile.contents(dataDirectory + "/postmaster.pid") {
        case .success(let text): contents = text
        case .failure(.missing): return .notRunning
        case .failure(let failure):
            return .unreadablePidFile(reason: failure.description, postmasters: postmasters(of: dataDirectory))
        }
        guard let pidFile = PostmasterPidFile(contents: contents) else { return .stalePidFile }
        guard isAlive(pidFile.pid) else { return .stalePidFile }
        return isPostmaster(pidFile.pid, of: dataDirectory) ? .running(pidFile) : .stalePidFile
    }

    /// Whether `pid` – read from a file pgdba controls, and signalled by root – is a PostgreSQL
    /// server process of `dataDirectory`: its command is `postgres` (or `postmaster`), its real uid is
    /// the data directory's owner and not root (PostgreSQL refuses to run as root), and its working
    /// directory, where the kernel shows it, is the data directory. The first two need no ptrace
    /// access (`/proc/<pid>/stat` and `status`), so a root without CAP_SYS_PTRACE (containers) still
    /// tells a live server; a root daemon or another account's process is never taken for one.
    public static func isPostmaster(_ pid: Int32, of dataDirectory: String) -> Bool {
        var data = stat()
        guard stat(dataDirectory, &data) == 0, data.st_uid != 0 else { return false }
        guard let name = command(of: pid), name == "postgres" || name == "postmaster" else { return false }
        guard let uid = realUid(of: pid), uid == data.st_uid else { return false }
        var cwd = stat()
        if stat("/proc/\(pid)/cwd", &cwd) == 0 { return cwd.st_dev == data.st_dev && cwd.st_ino == data.st_ino }
        return true
    }

    /// The command name (`comm`) of a process, from `/proc/<pid>/stat`.
    static func command(of pid: Int32) -> String? {
        guard let stat = TextFile.read("/proc/\(pid)/stat"), let open = stat.firstIndex(of: "("),
            let close = stat.lastIndex(of: ")"), open < close
        else { return nil }
        return String(stat[stat.index(after: open)..<close])
    }

    /// The real uid of a process, from the `Uid:` line of `/proc/<pid>/status`.
    static func realUid(of pid: Int32) -> uid_t? {
        guard let status = TextFile.read("/proc/\(pid)/status") else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("Uid:") {
            return line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap { uid_t($0) }
        }
        return nil
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

    /// The postmasters of `dataDirectory`, found without its pid file; `nil` when `/proc` cannot be listed.
    ///
    /// They are the live processes running a `postgres` (or `postmaster`) executable whose working
    /// directory is the data directory and whose parent is not such a process (backends are the
    /// postmaster's children).
    public static func postmasters(of dataDirectory: String) -> [Int32]? {
        var data = stat()
        guard stat(dataDirectory, &data) == 0 else { return [] }
        guard let pids = processes() else { return nil }
        var servers: [Int32: Int32] = [:]  // pid: parent pid
        for pid in pids {
            var cwd = stat()
            guard stat("/proc/\(pid)/cwd", &cwd) == 0, cwd.st_dev == data.st_dev, cwd.st_ino == data.st_ino else {
                continue
            }
            guard let exe = executable(of: pid), exe == "postgres" || exe == "postmaster",
                let uid = realUid(of: pid), uid == data.st_uid, uid != 0
            else { continue }
            guard let parent = parentPid(of: pid) else { continue }
            servers[pid] = parent
        }
        return servers.filter { servers[$0.value] == nil && isAlive($0.key) }.keys.sorted()
    }

    /// The live processes whose parent is `pid` (a postmaster's children: its backends and helpers).
    public static func children(of pid: Int32) -> [Int32] {
        (processes() ?? []).filter { parentPid(of: $0) == pid && isAlive($0) }
    }

    /// Every pid in `/proc`; `nil` when it cannot be listed.
    static func processes() -> [Int32]? {
        guard let proc = opendir("/proc") else { return nil }
        defer { closedir(proc) }
        var pids: [Int32] = []
        while let entry = readdir(proc) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if let pid = Int32(name), pid > 0 { pids.append(pid) }
        }
        return pids
    }

    static func workingDirectory(of pid: Int32) -> String? {
        readLink("/proc/\(pid)/cwd")
    }

    /// The base name of the process's executable (without the " (deleted)" of a replaced binary).
    static func executable(of pid: Int32) -> String? {
        guard var path = readLink("/proc/\(pid)/exe") else { return nil }
        if path.hasSuffix(" (deleted)") { path = String(path.dropLast(" (deleted)".count)) }
        return path.split(separator: "/").last.map(String.init)
    }

    static func parentPid(of pid: Int32) -> Int32? {
        guard let stat = TextFile.read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        // After the command name: state, then the parent's pid.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
