import Exec
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Host-name resolution and GSSAPI negotiation, done by libpq synchronously, cannot hold the agent.
///
/// A FIFO nobody writes to stands in for a
/// resolver or a Kerberos credential cache that never answers: opening it blocks.
@Suite(.serialized, .enabled(if: TestCluster.isAvailable, "needs root, the postgres account and PostgreSQL 15"))
struct ConnectionSetupTests {
    /// The agent's environment for a TCP monitor as `monitor` with a password.
    func tcpEnvironment(_ cluster: TestCluster, host: String) throws -> [String: String] {
        try cluster.sql("create role monitor login password 'pw-setup-1'")
        var env = cluster.agentEnvironment
        env["OCF_RESKEY_pghost"] = host
        env["OCF_RESKEY_monitor_user"] = "monitor"
        env["OCF_RESKEY_monitor_password"] = "pw-setup-1"
        env["OCF_RESKEY_pgdb"] = "postgres"
        return env
    }

    func makeFIFO(_ cluster: TestCluster) throws -> String {
        let path = cluster.root + "/never-answers"
        guard mkfifo(path, 0o666) == 0 else { throw TestFailure("mkfifo failed: errno \(errno)") }
        chmod(path, 0o666)
        return path
    }

    func elapsed(since start: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = start.duration(to: .now).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    func stop(_ cluster: TestCluster) throws {
        var env = cluster.agentEnvironment
        env["OCF_RESKEY_CRM_meta_timeout"] = "60000"
        #expect(try AgentBinary.run("stop", env).code == 0)
    }

    @Test func aHostNameIsResolvedAndMonitored() throws {
        let cluster = try TestCluster()
        _ = try cluster.startWithAgent()
        // localhost is ::1 and 127.0.0.1; the server listens on 127.0.0.1 only, so the second address is used.
        var env = try tcpEnvironment(cluster, host: "localhost")
        let monitor = try AgentBinary.run("monitor", env)
        #expect(monitor.code == 0, "\(monitor.stderr)")
        env["OCF_RESKEY_pghost"] = "pgsql-swift-no-such-host.invalid"
        let unknown = try AgentBinary.run("monitor", env)
        #expect(unknown.code == 1)
        #expect(unknown.exitReason?.contains("pgsql-swift-no-such-host.invalid") == true, "\(unknown.stderr)")
        try stop(cluster)
    }

    @Test func aResolverThatNeverAnswersEndsByTheTimeout() throws {
        let cluster = try TestCluster()
        _ = try cluster.startWithAgent()
        var env = try tcpEnvironment(cluster, host: "pgsqlswifthang")
        // glibc's DNS path opens the HOSTALIASES file for a name without dots that /etc/hosts lacks.
        env["HOSTALIASES"] = try makeFIFO(cluster)
        env["OCF_RESKEY_CRM_meta_timeout"] = "3000"
        let start = ContinuousClock.now
        let monitor = try AgentBinary.run("monitor", env, timeout: .seconds(15))
        let took = elapsed(since: start)
        #expect(monitor.code == 1, "\(monitor.stderr)")
        #expect(monitor.exitReason?.contains("pgsqlswifthang") == true, "\(monitor.stderr)")
        #expect(took < 3.0, "monitor took \(took) s with a 3 s timeout")
        try stop(cluster)
    }

    @Test func gssapiEncryptionIsNotTriedUnlessAskedFor() throws {
        let cluster = try TestCluster()
        _ = try cluster.startWithAgent()
        var env = try tcpEnvironment(cluster, host: "127.0.0.1")
        // With libpq's default gssencmode=prefer, a TCP connection first looks for Kerberos credentials.
        env["KRB5CCNAME"] = "FILE:" + (try makeFIFO(cluster))
        env["OCF_RESKEY_CRM_meta_timeout"] = "3000"
        let start = ContinuousClock.now
        let monitor = try AgentBinary.run("monitor", env, timeout: .seconds(15))
        #expect(monitor.code == 0, "\(monitor.stderr)")
        #expect(elapsed(since: start) < 1.0)
        // (With PGGSSENCMODE set, libpq's Kerberos calls run as asked, and are not bounded: the unit
        // tests of ConnectionParameters check that the rule then leaves gssencmode alone.)

        try stop(cluster)
    }
}
