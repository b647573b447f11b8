#if canImport(Glibc)
    import Glibc
#endif
import Postgres
import Testing

/// Liveness of a postmaster pid: a killed postmaster that its parent has not reaped yet is a zombie,
/// which `kill -0` still reports as present.
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
}
