import Exec
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Files the `postgres` account controls (PGDATA, tmpdir, postgresql.conf), with the agent binary.
///
/// Run as root against a real server: a FIFO never makes an action hang, and a link never makes root
/// change what it points to. Every agent run is bounded, so a regression fails instead of hanging.
@Suite(.serialized, .enabled(if: TestCluster.isAvailable, "needs root, the postgres account and PostgreSQL 15"))
struct PostgresOwnedFilesTests {
    /// Twice the action timeout the tests configure (10 s): a run killed at the bound is a hang.
    static let bound: Duration = .seconds(20)

    static func run(_ action: String, _ env: [String: String]) throws -> AgentBinary.Outcome {
        try AgentBinary.run(action, env, timeout: bound)
    }

    static func environment(_ cluster: TestCluster) -> [String: String] {
        var env = cluster.agentEnvironment
        env["OCF_RESKEY_CRM_meta_timeout"] = "10000"
        return env
    }

    /// Replaces a file by a FIFO owned by postgres, as the postgres account could.
    static func fifo(_ path: String, owner: UserAccount) throws {
        unlink(path)
        guard mkfifo(path, 0o600) == 0, chown(path, owner.uid, owner.gid) == 0 else {
            throw TestFailure("mkfifo \(path) failed")
        }
    }

    /// A directory of root's, mode 0755, that pgdba must never be given.
    static func rootDirectory(_ path: String) throws -> String {
        guard mkdir(path, 0o755) == 0, chmod(path, 0o755) == 0 else { throw TestFailure("mkdir \(path) failed") }
        return path
    }

    static func owner(_ path: String) -> (uid: uid_t, mode: mode_t)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (info.st_uid, info.st_mode & 0o7777)
    }

    @Test func aFIFOAtPGVersionFailsTheMonitorAndTheStopStillStopsTheServer() throws {
        let cluster = try TestCluster()
        let env = Self.environment(cluster)
        let pid = try cluster.startWithAgent()
        let version = cluster.dataDirectory + "/PG_VERSION"
        try Self.fifo(version, owner: cluster.owner)

        let monitor = try Self.run("monitor", env)
        #expect(monitor.code == 5, "\(monitor.stderr)")
        #expect(monitor.exitReason?.contains("PG_VERSION is a FIFO") == true, "\(monitor.stderr)")

        // pg_ctl would block on PG_VERSION: the postmaster gets pg_ctl's signal instead.
        let clock = ContinuousClock()
        let started = clock.now
        let stop = try Self.run("stop", env)
        let stopTook = clock.now - started
        #expect(stop.code == 0, "\(stop.stderr)")
        #expect(stop.stderr.contains("signalling the postmaster directly"), "\(stop.stderr)")
        #expect(!ServerProcess.isAlive(pid), "the postmaster still runs")
        #expect(stopTook < .seconds(9), "stop took \(stopTook)")

        #expect(try Self.run("monitor", env).code == 7)
        let start = try Self.run("start", env)
        #expect(start.code == 5)
        #expect(start.exitReason?.contains("PG_VERSION is a FIFO") == true, "\(start.stderr)")
        #expect(FileKind.of(version) == .fifo, "the agent leaves the file to the operator")
    }

    @Test func aFIFOAtPostmasterPidIsNotReadAndThePostmasterIsFoundAndStopped() throws {
        let cluster = try TestCluster()
        let env = Self.environment(cluster)
        let pid = try cluster.startWithAgent()
        let pidFile = cluster.dataDirectory + "/postmaster.pid"
        // The postmaster rechecks its pid file once a minute; the test is done well before.
        try Self.fifo(pidFile, owner: cluster.owner)

        let monitor = try Self.run("monitor", env)
        #expect(monitor.code == 1, "\(monitor.stderr)")
        #expect(monitor.exitReason?.contains("postmaster.pid is a FIFO") == true, "\(monitor.stderr)")
        #expect(monitor.exitReason?.contains("PID \(pid)") == true, "\(monitor.stderr)")
        #expect(try Self.run("status", env).code == 0)

        // A postmaster whose pid file is a FIFO blocks reading it when asked to shut down: the
        // immediate shutdown is given its time, then the server processes are killed.
        let children = ServerProcess.children(of: pid)
        #expect(!children.isEmpty)
        let clock = ContinuousClock()
        let started = clock.now
        let stop = try Self.run("stop", env)
        let stopTook = clock.now - started
        #expect(stop.code == 0, "\(stop.stderr)")
        #expect(stop.stderr.contains("found by its working directory (PID \(pid))"), "\(stop.stderr)")
        #expect(stop.stderr.contains("SIGKILL"), "\(stop.stderr)")
        #expect(!ServerProcess.isAlive(pid), "the postmaster still runs")
        #expect(!children.contains(where: ServerProcess.isAlive), "a child of the postmaster still runs")
        #expect(stopTook < .seconds(9), "stop took \(stopTook)")

        // With a FIFO there and no server, monitor and stop say "stopped", start refuses, and the
        // file stays.
        #expect(FileKind.of(pidFile) == .fifo, "the agent removed the pid file")
        #expect(try Self.run("monitor", env).code == 7)
        #expect(try Self.run("stop", env).code == 0)
        let start = try Self.run("start", env)
        #expect(start.code == 1)
        #expect(start.exitReason?.contains("postmaster.pid is a FIFO") == true, "\(start.stderr)")
        #expect(FileKind.of(pidFile) == .fifo)
    }

    @Test func aFIFOAsTheConfigurationFileIsRefusedAtOnce() throws {
        let cluster = try TestCluster()
        var env = Self.environment(cluster)
        let config = cluster.root + "/fifo.conf"
        try Self.fifo(config, owner: cluster.owner)
        env["OCF_RESKEY_config"] = config
        #expect(try Self.run("monitor", env).code == 7)
        let start = try Self.run("start", env)
        #expect(start.code == 5)
        #expect(start.exitReason?.contains("is a FIFO") == true, "\(start.stderr)")
    }

    @Test(arguments: ["sync", "slave"])
    func aSymbolicLinkAsTmpdirIsRefusedAndItsTargetStaysRoots(_ mode: String) throws {
        let cluster = try TestCluster()
        var env = Self.environment(cluster)
        let target = try Self.rootDirectory(cluster.root + "/etc")
        let tmpdir = cluster.root + "/tmp"
        guard symlink(target, tmpdir) == 0 else { throw TestFailure("symlink failed") }
        env["OCF_RESKEY_rep_mode"] = mode
        env["OCF_RESKEY_master_ip"] = "127.0.0.2"
        env["OCF_RESKEY_tmpdir"] = tmpdir
        env["OCF_RESKEY_CRM_meta_on_node"] = "pgn1"
        if mode == "sync" {
            env["OCF_RESKEY_node_list"] = "pgn1 pgn2"
            env["OCF_RESKEY_CRM_meta_promotable"] = "true"
        }
        for action in mode == "sync" ? ["monitor", "start"] : ["start"] {
            let outcome = try Self.run(action, env)
            #expect(outcome.code == 4, "\(action): \(outcome.stderr)")
            #expect(outcome.exitReason?.contains("\(tmpdir) is a symbolic link") == true, "\(outcome.stderr)")
            let info = try Self.owner(target).unwrap("no \(target)")
            #expect(info.uid == 0 && info.mode == 0o755, "\(action) gave the link's target to postgres")
        }
        #expect(try Self.run("monitor", cluster.agentEnvironment).code == 7, "nothing was started")
    }

    @Test func aSymbolicLinkedConfigurationStaysALinkWhenTheIncludeIsAdded() throws {
        let cluster = try TestCluster()
        var env = Self.environment(cluster)
        let etc = try Self.rootDirectory(cluster.root + "/etc")
        let link = etc + "/postgresql.conf"
        guard symlink(cluster.config, link) == 0 else { throw TestFailure("symlink failed") }
        let tmpdir = cluster.root + "/tmp"
        env["OCF_RESKEY_rep_mode"] = "slave"
        env["OCF_RESKEY_master_ip"] = "127.0.0.2"
        env["OCF_RESKEY_tmpdir"] = tmpdir
        env["OCF_RESKEY_config"] = link
        env["OCF_RESKEY_CRM_meta_timeout"] = "30000"

        let start = try AgentBinary.run("start", env, timeout: .seconds(60))
        #expect(start.code == 0, "\(start.stderr)")
        #expect(FileKind.of(link) == .symbolicLink, "the link was replaced by a file")
        let text = TextFile.read(cluster.config) ?? ""
        #expect(text.contains("include '\(tmpdir)/recovery.conf' # added by pgsql RA"), "\(text)")
        #expect(Self.owner(cluster.config)?.uid == cluster.owner.uid)
        #expect(Self.owner(tmpdir).map { $0.uid == cluster.owner.uid && $0.mode == 0o700 } == true)
        #expect(try cluster.sql("select pg_is_in_recovery()") == [["t"]])
        #expect(try AgentBinary.run("stop", env).code == 0)
    }

    @Test func statsTempDirectoryFromTheConfigurationIsNotCreatedAsRoot() throws {
        let cluster = try TestCluster()
        let env = Self.environment(cluster)
        let rootOnly = try Self.rootDirectory(cluster.root + "/rootonly")
        try cluster.appendConfig("stats_temp_directory = '\(rootOnly)/stats'")
        let start = try Self.run("start", env)
        #expect(start.code == 4, "\(start.stderr)")
        #expect(start.exitReason?.contains("Can't create directory \(rootOnly)/stats") == true, "\(start.stderr)")
        #expect(!TextFile.exists(rootOnly + "/stats"), "root created a directory pgdba named")
    }

    /// A tmpdir pgdba turned into a link must not turn a stop or demote into a failure (fencing):
    /// PostgreSQL is stopped, tmpdir left alone.
    @Test func stopAndDemoteStopTheServerWhateverTmpdirIs() throws {
        for action in ["demote", "stop"] {
            let cluster = try TestCluster()
            let pid = try cluster.startWithAgent()
            var env = Self.environment(cluster)
            let target = try Self.rootDirectory(cluster.root + "/etc")
            let tmpdir = cluster.root + "/tmp"
            guard symlink(target, tmpdir) == 0 else { throw TestFailure("symlink failed") }
            env["OCF_RESKEY_rep_mode"] = "sync"
            env["OCF_RESKEY_master_ip"] = "127.0.0.2"
            env["OCF_RESKEY_tmpdir"] = tmpdir
            env["OCF_RESKEY_CRM_meta_on_node"] = "pgn1"
            env["OCF_RESKEY_node_list"] = "pgn1 pgn2"
            env["OCF_RESKEY_CRM_meta_promotable"] = "true"
            env["OCF_RESKEY_crm_attr_timeout"] = "1"
            let outcome = try Self.run(action, env)
            #expect(outcome.code == 0, "\(action): \(outcome.exitReason ?? "")")
            #expect(!ServerProcess.isAlive(pid), "\(action) stopped the server")
            var info = stat()
            #expect(stat(target, &info) == 0 && info.st_uid == 0, "the link's target is untouched")
        }
    }
}
