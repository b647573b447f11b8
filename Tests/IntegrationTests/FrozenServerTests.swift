import Exec
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Every libpq call returns within its deadline when the server is frozen (SIGSTOP of the postmaster
/// and the backend): connecting, querying, and cancelling the query that timed out.
@Suite(.serialized, .enabled(if: TestCluster.isAvailable, "needs root, the postgres account and PostgreSQL 15"))
struct FrozenServerTests {
    func socketParameters(_ cluster: TestCluster) -> [(String, String)] {
        [
            ("host", cluster.socketDirectory), ("port", String(cluster.port)), ("dbname", "postgres"),
            ("user", "postgres"),
        ]
    }

    /// Seconds since `start`.
    func elapsed(since start: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = start.duration(to: .now).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    @Test func queryOnAFrozenServerEndsByItsDeadline() throws {
        let cluster = try TestCluster()
        let postmaster = try cluster.startWithAgent()
        let connection = try Connection.open(
            socketParameters(cluster), as: cluster.owner, until: Deadline(after: .seconds(10)))
        let answer = try connection.query("select pg_backend_pid()", until: Deadline(after: .seconds(10)))
        let backend = try #require(answer.first?.first.flatMap { $0 }.flatMap { pid_t($0) })

        let freezer = ServerFreezer()
        freezer.freeze([postmaster, backend])
        let start = ContinuousClock.now
        #expect(throws: PostgresError.self) { try connection.query("select 1", until: Deadline(after: .seconds(2))) }
        let took = elapsed(since: start)
        #expect(took < 2.2, "the query and its cancel took \(took) s against a 2 s deadline")
        do {
            _ = try connection.query("select 1", until: Deadline(after: .milliseconds(100)))
        } catch {
            #expect(error.kind != .query)
        }

        // A new connection to the frozen server ends by its deadline too.
        let connectStart = ContinuousClock.now
        #expect(throws: PostgresError.self) {
            try Connection.open(socketParameters(cluster), as: cluster.owner, until: Deadline(after: .seconds(2)))
        }
        let connectTook = elapsed(since: connectStart)
        #expect(connectTook < 2.2, "connecting took \(connectTook) s against a 2 s deadline")

        freezer.thaw()
        #expect(try cluster.sql("select 1") == [["1"]], "the server answers again once thawed")
        var env = cluster.agentEnvironment
        env["OCF_RESKEY_CRM_meta_timeout"] = "60000"
        #expect(try AgentBinary.run("stop", env).code == 0)
    }

    @Test func aQueryLargerThanTheSocketBufferToAFrozenBackendEndsByItsDeadline() throws {
        let cluster = try TestCluster()
        let postmaster = try cluster.startWithAgent()
        let freezer = ServerFreezer()
        let start: ContinuousClock.Instant
        do {
            let connection = try Connection.open(
                socketParameters(cluster), as: cluster.owner, until: Deadline(after: .seconds(10)))
            let answer = try connection.query("select pg_backend_pid()", until: Deadline(after: .seconds(10)))
            let backend = try #require(answer.first?.first.flatMap { $0 }.flatMap { pid_t($0) })
            freezer.freeze([backend])
            // 16 MB cannot all enter the socket: sending it, and closing the connection after it (PQfinish
            // queues a Terminate message behind it), must not wait for the frozen backend to read.
            let sql = "select '" + String(repeating: "x", count: 16 << 20) + "'"
            start = ContinuousClock.now
            #expect(throws: PostgresError.self) { try connection.query(sql, until: Deadline(after: .seconds(2))) }
        }
        let took = elapsed(since: start)
        freezer.thaw()
        #expect(took < 2.2, "query and close took \(took) s against a 2 s deadline")
        #expect(ServerFreezer.children(of: postmaster).count > 0)
        var env = cluster.agentEnvironment
        env["OCF_RESKEY_CRM_meta_timeout"] = "60000"
        #expect(try AgentBinary.run("stop", env).code == 0)
    }

    @Test func timedOutQueryIsCancelledOnALiveServer() throws {
        let cluster = try TestCluster()
        _ = try cluster.startWithAgent()
        let connection = try Connection.open(
            socketParameters(cluster), as: cluster.owner, until: Deadline(after: .seconds(10)))
        let start = ContinuousClock.now
        do {
            _ = try connection.query("select pg_sleep(60)", until: Deadline(after: .seconds(1)))
            Issue.record("pg_sleep(60) returned within 1 s")
        } catch {
            #expect(error.kind == .timeout)
            #expect(error.message.contains("did not answer"), "\(error.message)")
            #expect(!error.message.contains("cancel"), "the live server took the cancel request: \(error.message)")
        }
        #expect(elapsed(since: start) < 1.2)
        // The connection is still open: only the cancel request can have ended the sleep.
        var running: [[String?]] = []
        for _ in 0..<50 {
            running = try cluster.sql(
                "select pid from pg_stat_activity where state = 'active' and query like 'select pg_sleep(60)%'")
            if running.isEmpty { break }
            usleep(20_000)
        }
        #expect(running.isEmpty, "the query still runs after its cancel")
        withExtendedLifetime(connection) {}
        var env = cluster.agentEnvironment
        env["OCF_RESKEY_CRM_meta_timeout"] = "60000"
        #expect(try AgentBinary.run("stop", env).code == 0)
    }

    @Test func monitorWhoseQueryHangsOnAFrozenServerEndsByItsTimeout() throws {
        let cluster = try TestCluster()
        var env = cluster.agentEnvironment
        let postmaster = try cluster.startWithAgent()
        // The monitor's query runs when the server freezes: its cancel meets a stopped postmaster.
        env["OCF_RESKEY_monitor_sql"] = "select pg_sleep(30)"
        env["OCF_RESKEY_CRM_meta_timeout"] = "3000"
        let freezer = ServerFreezer()
        freezer.freeze(
            when: {
                let busy = ServerFreezer.children(of: postmaster).filter {
                    ServerFreezer.commandLine(of: $0).contains("] SELECT")
                }
                return busy.isEmpty ? nil : [postmaster] + ServerFreezer.children(of: postmaster)
            }, within: .seconds(10))
        let start = ContinuousClock.now
        let monitor = try AgentBinary.run("monitor", env, timeout: .seconds(30))
        let took = elapsed(since: start)
        freezer.thaw()
        #expect(monitor.code == 1, "\(monitor.stderr)")
        #expect(monitor.exitReason?.contains("did not answer") == true, "\(monitor.stderr)")
        #expect(took < 3.0, "monitor took \(took) s with a 3 s timeout")
        env["OCF_RESKEY_CRM_meta_timeout"] = "60000"
        #expect(try AgentBinary.run("stop", env).code == 0)
    }
}
