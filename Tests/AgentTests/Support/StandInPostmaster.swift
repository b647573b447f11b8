#if canImport(Glibc)
    import Glibc
#endif
import Exec
import Postgres
import Testing

/// A harmless long-running process the agent takes for the postmaster of a data directory.
///
/// `sleep 30` run with the data directory as its working directory (a postmaster `chdir`s there),
/// its pid written to `postmaster.pid` (unless told not to). Signals in `blocking` stay pending in
/// its signal mask (inherited through exec), so it can play a server that ignores SIGINT and SIGQUIT;
/// SIGKILL always ends it. ``end()`` kills and reaps it; call it (`defer`) in every test.
final class StandInPostmaster {
    let pid: pid_t
    let pgdata: String
    /// The signal that ended it, once reaped (nil: not reaped yet, or it exited).
    private(set) var endingSignal: Int32?
    private var reaped = false

    /// - Parameter program: the executable (a copy of sleep called `postgres` is found by
    ///   ``ServerProcess/postmasters(of:)`` without a pid file).
    init(
        in pgdata: String, program: String = StandInPostmaster.sharedPostgres, blocking: [Int32] = [],
        pidFile: Bool = true
    ) throws {
        self.pgdata = pgdata
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in blocking { sigaddset(&mask, signal) }
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        // env changes directory, then executes the program in the same process.
        // The agent takes only a non-root process of the data directory's owner for a postmaster:
        // as root, the stand-in runs as nobody in a data directory given to nobody.
        var argv = ["/usr/bin/env", "-C", pgdata, program, "30"]
        if geteuid() == 0 {
            StandInPostmaster.giveToNobody(pgdata)
            argv = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + argv
        }
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var child: pid_t = 0
        try #require(posix_spawn(&child, argv[0], nil, &attributes, &cArgs, environ) == 0)
        pid = child
        if pidFile { StandInPostmaster.writePidFile(pgdata, pid) }
        // Wait (bounded) until the program runs in the data directory.
        let wanted = program.split(separator: "/").last.map(String.init)
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .seconds(3))
        while clock.now < end {
            if StandInPostmaster.link("/proc/\(pid)/cwd") == StandInPostmaster.realPath(pgdata),
                StandInPostmaster.link("/proc/\(pid)/exe")?.split(separator: "/").last.map(String.init) == wanted
            {
                return
            }
            usleep(2_000)
        }
        Issue.record("the stand-in postmaster did not start in \(pgdata)")
    }

    deinit { end() }

    /// A copy of sleep called `postgres` (the agent checks a postmaster's command name), shared by
    /// every stand-in of this test process.
    static let sharedPostgres: String = {
        let dir = "/tmp/pgsql-swift-standin-\(getpid())"
        mkdir(dir, 0o755)
        chmod(dir, 0o755)
        let path = dir + "/postgres"
        if access(path, X_OK) != 0 {
            _ = try? ProcessRunner().run(Command("/bin/cp", ["/bin/sleep", path]), until: Deadline(after: .seconds(10)))
            chmod(path, 0o755)
        }
        return path
    }()

    /// Lets nobody reach and own the data directory (its parents stay root's, searchable).
    static func giveToNobody(_ pgdata: String) {
        var dir = pgdata
        while let slash = dir.lastIndex(of: "/"), slash != dir.startIndex {
            dir = String(dir[..<slash])
            if dir == "/tmp" { break }
            var info = stat()
            if stat(dir, &info) == 0 { chmod(dir, (info.st_mode & 0o777) | 0o011) }
        }
        chown(pgdata, 65534, 65534)
    }

    /// `postmaster.pid` naming `pid` (its first lines, as PostgreSQL writes them).
    static func writePidFile(_ pgdata: String, _ pid: pid_t) {
        ReplicationHarness.write(
            pgdata + "/postmaster.pid", "\(pid)\n\(pgdata)\n1700000000\n5432\n/tmp\n*\n  1 2\nready\n")
    }

    func signal(_ signal: Int32) { _ = kill(pid, signal) }

    /// Reaps it if it has ended, waiting at most `limit`; whether it has.
    @discardableResult
    func reap(within limit: Duration = .seconds(3)) -> Bool {
        guard !reaped else { return true }
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: limit)
        repeat {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                reaped = true
                // WIFSIGNALED / WTERMSIG, which Swift does not import.
                let signal = status & 0x7f
                endingSignal = signal != 0 && signal != 0x7f ? signal : nil
                return true
            }
            usleep(2_000)
        } while clock.now < end
        return false
    }

    /// Kills (SIGKILL) and reaps it, if not done yet.
    func end() {
        guard !reaped else { return }
        _ = kill(pid, SIGKILL)
        reap(within: .seconds(10))
    }

    /// A copy of sleep called `postgres` in a scratch directory (remove it after the test).
    static func postgresProgram() throws -> Scratch {
        let bin = try Scratch("bin")
        let copy = try ProcessRunner().run(
            Command("/bin/cp", ["/bin/sleep", bin.path + "/postgres"]), until: Deadline(after: .seconds(10)))
        try #require(copy.succeeded)
        chmod(bin.path, 0o755)
        return bin
    }

    private static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
