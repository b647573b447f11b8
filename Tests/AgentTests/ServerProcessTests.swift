#if canImport(Glibc)
    import Glibc
#endif
import Exec
import Postgres
import Testing

/// Liveness of a postmaster pid, with or without a pid file to read.
///
/// A killed postmaster that its parent has not reaped yet is a zombie, which `kill -0` still reports
/// as present. A `postmaster.pid` that is not a regular file is not read (a FIFO would block the
/// agent); the postmaster is then looked for by its working directory.
@Suite(.serialized) struct ServerProcessTests {
    func spawn(_ argv: [String]) throws -> pid_t {
        var pid: pid_t = 0
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        let rc = posix_spawn(&pid, argv[0], nil, nil, &cArgs, environ)
        try #require(rc == 0)
        return pid
    }

    func reap(_ pid: pid_t) {
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    @Test func aLiveProcessIsAlive() throws {
        let pid = try spawn(["/bin/sleep", "30"])
        defer {
            kill(pid, SIGKILL)
            reap(pid)
        }
        #expect(ServerProcess.isAlive(pid))
    }

    @Test func anUnreapedKilledProcessIsNotAlive() throws {
        let pid = try spawn(["/bin/sleep", "30"])
        defer { reap(pid) }
        kill(pid, SIGKILL)
        // Wait (bounded) until the kernel has made it a zombie; kill -0 still succeeds on it.
        var waited = 0
        while waited < 200, ServerProcess.isAlive(pid) {
            usleep(10_000)
            waited += 1
        }
        #expect(kill(pid, 0) == 0, "the child is a zombie, not reaped yet")
        #expect(!ServerProcess.isAlive(pid))
    }

    @Test func aFIFOPidFileIsNotReadAndNoPostmasterRuns() throws {
        let dir = try Scratch("pgdata")
        defer { dir.remove() }
        let fifo = try dir.fifo("postmaster.pid")
        let outcome = try #require(
            BoundedCall.run(unblock: { Scratch.release(fifo) }) { ServerProcess.state(dataDirectory: dir.path) })
        #expect(!outcome.blocked, "a FIFO postmaster.pid blocked the liveness check")
        #expect(outcome.value == .unreadablePidFile(reason: "is a FIFO, not a regular file", postmasters: []))
        #expect(!outcome.value.isRunning)
    }

    @Test func aLinkedPidFileIsNotFollowed() throws {
        let dir = try Scratch("pgdata")
        defer { dir.remove() }
        // A pid file elsewhere naming a live process: followed, it would be a stale pid file (pid 1 is
        // not in this directory) and start would delete the link.
        let elsewhere = try Scratch("elsewhere")
        defer { elsewhere.remove() }
        let target = try elsewhere.file("postmaster.pid", "1\n\(dir.path)\n")
        _ = try dir.link("postmaster.pid", to: target)
        #expect(
            ServerProcess.state(dataDirectory: dir.path)
                == .unreadablePidFile(reason: "is a symbolic link, not a regular file", postmasters: []))
    }

    @Test func aPostmasterIsFoundByItsWorkingDirectoryWhenThePidFileIsNoFile() throws {
        let dir = try Scratch("pgdata")
        defer { dir.remove() }
        let fifo = try dir.fifo("postmaster.pid")
        // A stand-in postmaster: an executable called postgres, run with the data directory as its
        // working directory; a process of another program there is not one.
        let bin = try Scratch("bin")
        defer { bin.remove() }
        let postgres = bin.path + "/postgres"
        let copy = try ProcessRunner().run(
            Command("/bin/cp", ["/bin/sleep", postgres]), until: Deadline(after: .seconds(10)))
        try #require(copy.succeeded)
        // PostgreSQL never runs as root: as root, the stand-in runs as nobody in a directory of nobody.
        var runAs: [String] = []
        if geteuid() == 0 {
            chmod(bin.path, 0o755)
            chmod(dir.path, 0o755)
            chown(dir.path, 65534, 65534)
            runAs = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        }
        let postmaster = try spawn(runAs + ["/usr/bin/env", "-C", dir.path, postgres, "30"])
        defer {
            kill(postmaster, SIGKILL)
            reap(postmaster)
        }
        let other = try spawn(["/usr/bin/env", "-C", dir.path, "/bin/sleep", "30"])
        defer {
            kill(other, SIGKILL)
            reap(other)
        }
        // env changes directory, then executes the program in the same process.
        var waited = 0
        while waited < 200, ServerProcess.postmasters(of: dir.path) != [postmaster] {
            usleep(10_000)
            waited += 1
        }
        #expect(ServerProcess.postmasters(of: dir.path) == [postmaster])
        let outcome = try #require(
            BoundedCall.run(unblock: { Scratch.release(fifo) }) { ServerProcess.state(dataDirectory: dir.path) })
        #expect(!outcome.blocked)
        #expect(outcome.value == .unreadablePidFile(reason: "is a FIFO, not a regular file", postmasters: [postmaster]))
        #expect(outcome.value.isRunning)
    }

    /// Root signals the pid it finds: a root process (or one of another account) in the data
    /// directory, even one called postgres, is never taken for its postmaster.
    @Test func aProcessOfAnotherAccountIsNeverAPostmaster() throws {
        let dir = try Scratch("pgdata")
        defer { dir.remove() }
        let bin = try Scratch("bin")
        defer { bin.remove() }
        let postgres = bin.path + "/postgres"
        let copy = try ProcessRunner().run(
            Command("/bin/cp", ["/bin/sleep", postgres]), until: Deadline(after: .seconds(10)))
        try #require(copy.succeeded)
        // The directory belongs to nobody; the process runs as this test's account.
        try #require(geteuid() == 0, "needs root to give the directory to another account")
        chmod(dir.path, 0o755)
        chown(dir.path, 65534, 65534)
        let impostor = try spawn(["/usr/bin/env", "-C", dir.path, postgres, "30"])
        defer {
            kill(impostor, SIGKILL)
            reap(impostor)
        }
        _ = try dir.file("postmaster.pid", "\(impostor)\n\(dir.path)\n")
        usleep(100_000)
        #expect(!ServerProcess.isPostmaster(impostor, of: dir.path))
        #expect(ServerProcess.state(dataDirectory: dir.path) == .stalePidFile)
    }
}
