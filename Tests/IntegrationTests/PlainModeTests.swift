import Exec
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The agent binary against a real PostgreSQL 15 server in plain mode (rep_mode=none).
@Suite(.serialized, .enabled(if: TestCluster.isAvailable, "needs root, the postgres account and PostgreSQL 15"))
struct PlainModeTests {
    @Test func lifecycleFollowsTheOCFContract() throws {
        let cluster = try TestCluster()
        let env = cluster.agentEnvironment
        var probe = env
        probe["OCF_RESKEY_CRM_meta_interval"] = "0"

        #expect(try AgentBinary.run("monitor", env).code == 7)
        #expect(try AgentBinary.run("monitor", probe).code == 7)
        #expect(try AgentBinary.run("status", env).code == 7)
        let start = try AgentBinary.run("start", env)
        #expect(start.code == 0, "\(start.stderr)")
        #expect(try AgentBinary.run("monitor", env).code == 0)
        #expect(try AgentBinary.run("monitor", probe).code == 0)
        #expect(try AgentBinary.run("status", env).code == 0)

        // The server is real: a write commits and reads back.
        try cluster.sql("create table t(x int); insert into t values (42)")
        #expect(try cluster.sql("select x from t") == [["42"]])

        #expect(try AgentBinary.run("start", env).code == 0, "a second start succeeds")
        #expect(try AgentBinary.run("notify", env).code == 0)
        let promote = try AgentBinary.run("promote", env)
        #expect(promote.code == 3)
        #expect(promote.exitReason?.contains("rep_mode=none") == true)
        #expect(try AgentBinary.run("demote", env).code == 3)
        #expect(try AgentBinary.run("monitor", env).code == 0, "promote/demote leave the instance alone")

        #expect(try AgentBinary.run("stop", env).code == 0)
        #expect(try AgentBinary.run("monitor", env).code == 7)
        #expect(try AgentBinary.run("stop", env).code == 0, "a second stop succeeds")
        #expect(try AgentBinary.run("status", env).code == 7)
        #expect(!TextFile.exists(cluster.dataDirectory + "/postmaster.pid"))
    }

    @Test func crashedPostmasterIsNotRunningAndRestarts() throws {
        let cluster = try TestCluster()
        let env = cluster.agentEnvironment
        let pid = try cluster.startWithAgent()
        kill(pid, SIGKILL)
        for _ in 0..<100 where ServerProcess.isAlive(pid) { usleep(50_000) }

        #expect(TextFile.exists(cluster.dataDirectory + "/postmaster.pid"), "kill -9 leaves the pid file behind")
        #expect(try AgentBinary.run("monitor", env).code == 7)
        #expect(try AgentBinary.run("status", env).code == 7)
        // Wait for the orphaned backends to notice the postmaster's death before restarting.
        usleep(500_000)
        let restart = try AgentBinary.run("start", env)
        #expect(restart.code == 0, "\(restart.stderr)")
        #expect(try AgentBinary.run("monitor", env).code == 0)
        #expect(try AgentBinary.run("stop", env).code == 0)
    }

    @Test func hungServerFailsTheMonitorWithinItsTimeout() throws {
        let cluster = try TestCluster()
        var env = cluster.agentEnvironment
        let pid = try cluster.startWithAgent()
        kill(pid, SIGSTOP)
        defer { kill(pid, SIGCONT) }
        env["OCF_RESKEY_CRM_meta_timeout"] = "3000"
        // The runner kills the agent after 20 s; a monitor that waited longer than its timeout would throw.
        let start = ContinuousClock.now
        let monitor = try AgentBinary.run("monitor", env, timeout: .seconds(20))
        let took = start.duration(to: .now)
        #expect(took < .seconds(3), "monitor took \(took) with a 3 s timeout")
        #expect(monitor.code == 1)
        #expect(monitor.exitReason?.contains("did not answer") == true, "\(monitor.stderr)")
        kill(pid, SIGCONT)
        env["OCF_RESKEY_CRM_meta_timeout"] = "60000"
        #expect(try AgentBinary.run("stop", env).code == 0)
    }

    @Test func postmasterDyingDuringStartFailsAtOnceWithTheLogTail() throws {
        let cluster = try TestCluster()
        var env = cluster.agentEnvironment
        env["OCF_RESKEY_start_opt"] = "-c shared_buffers=nonsense"
        let start = try AgentBinary.run("start", env)
        #expect(start.code == 1)
        #expect(start.exitReason?.contains("shared_buffers") == true, "\(start.stderr)")
        #expect(try AgentBinary.run("monitor", env).code == 7)
    }

    @Test func passwordAuthenticationOverTCPKeepsThePasswordSecret() throws {
        let cluster = try TestCluster()
        var env = cluster.agentEnvironment
        #expect(try AgentBinary.run("start", env).code == 0)
        try cluster.sql("create role monitor login password 'right-pw-1'")

        env["OCF_RESKEY_pghost"] = "127.0.0.1"
        env["OCF_RESKEY_monitor_user"] = "monitor"
        env["OCF_RESKEY_monitor_password"] = "right-pw-1"
        env["OCF_RESKEY_pgdb"] = "postgres"
        let good = try AgentBinary.run("monitor", env)
        #expect(good.code == 0, "\(good.stderr)")

        let logFile = cluster.root + "/agent.log"
        env["HA_LOGFILE"] = logFile
        env["OCF_RESKEY_monitor_password"] = "wrong-pw-2"
        let bad = try AgentBinary.run("monitor", env)
        #expect(bad.code == 1)
        #expect(bad.exitReason?.contains("password authentication failed") == true, "\(bad.stderr)")
        #expect(!bad.stderr.contains("wrong-pw-2"))
        let log = TextFile.read(logFile) ?? ""
        #expect(log.contains("pgsql-swift(pgsql)["))
        #expect(log.contains("ERROR: "))
        #expect(!log.contains("wrong-pw-2"))

        env.removeValue(forKey: "OCF_RESKEY_monitor_password")
        env.removeValue(forKey: "HA_LOGFILE")
        #expect(try AgentBinary.run("stop", env).code == 0)
    }

    @Test func logsGoToHALogFileInTheShellAgentFormat() throws {
        let cluster = try TestCluster()
        var env = cluster.agentEnvironment
        env["HA_LOGFILE"] = cluster.root + "/ha.log"
        env["HA_LOGFACILITY"] = "none"
        let monitor = try AgentBinary.run("monitor", env)
        #expect(monitor.code == 7)
        #expect(monitor.stderr.isEmpty, "with a log file nothing goes to stderr")
        let log = TextFile.read(cluster.root + "/ha.log") ?? ""
        #expect(log.contains("pgsql-swift(pgsql)["))
        #expect(log.contains("]:    INFO: PostgreSQL is down"))
    }

    @Test(.enabled(if: ExecutableLookup.isExecutableFile("/usr/sbin/ocf-tester"), "needs resource-agents' ocf-tester"))
    func passesOcfTester() throws {
        let cluster = try TestCluster()
        // ocf-tester runs meta-data as nobody: use a world-readable copy of the binary.
        let agent = cluster.root + "/pgsql-swift"
        let copy = try ProcessRunner().run(
            Command("/usr/bin/install", ["-m", "0755", AgentBinary.path, agent]), until: Deadline(after: .seconds(30)))
        #expect(copy.succeeded)
        let arguments = [
            "-n", "pgsql", "-o", "pgctl=\(TestCluster.binDirectory)/pg_ctl", "-o", "pgdata=\(cluster.dataDirectory)",
            "-o", "socketdir=\(cluster.socketDirectory)", "-o", "pgport=\(cluster.port)", "-o", "logfile=\(cluster.logFile)",
            agent,
        ]
        let result = try ProcessRunner().run(
            Command("/usr/sbin/ocf-tester", arguments, environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]),
            until: Deadline(after: .seconds(300)))
        #expect(result.succeeded, "\(result.standardOutput)\n\(result.standardError)")
        #expect(result.standardOutput.contains("passed all tests"))
    }
}
