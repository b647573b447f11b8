#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Replication
import Testing

@testable import Agent

/// One node of a replication cluster for agent tests (or, with `mode: "none"`, a plain instance).
///
/// A temporary PGDATA and tmpdir, a recording
/// ``FakeCluster`` for the Pacemaker tools (and `pg_ctl`), a ``FakeServer`` for PostgreSQL and a
/// ``FakeMonitorSQL`` for `monitor_sql`, sharing one ``EffectLog``. No root, no server, no cluster.
/// The agent's log goes to `agent.log` in the temporary directory (``agentLog``).
final class ReplicationHarness {
    let log = EffectLog()
    let root: String
    let cluster: FakeCluster
    let server: FakeServer
    let monitorSQL: FakeMonitorSQL
    var environment: [String: String]

    init(
        me: String = "pgn1", nodeList: String = "pgn1 pgn2", mode: String = "sync",
        nodes: [String: FakeCluster.Node], extra: [String: String] = [:]
    ) {
        var template = Array("/tmp/pgsql-swift-unit-XXXXXX".utf8CString)
        root = mkdtemp(&template).map { String(cString: $0) } ?? "/tmp"
        mkdir(root + "/data", 0o700)
        mkdir(root + "/tmp", 0o700)
        ReplicationHarness.write(root + "/data/PG_VERSION", "15\n")
        ReplicationHarness.write(root + "/data/postgresql.conf", "")
        cluster = FakeCluster(log: log, localNode: me, nodes: nodes)
        server = FakeServer(log: log)
        monitorSQL = FakeMonitorSQL(log: log)
        environment = [
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "OCF_RESOURCE_INSTANCE": "pgsql",
            "OCF_RESKEY_CRM_meta_on_node": me,
            "OCF_RESKEY_CRM_meta_timeout": "10000",
            "OCF_RESKEY_CRM_meta_interval": "3000",
            "OCF_RESKEY_crm_feature_set": "3.16.2",
            "OCF_RESKEY_rep_mode": mode,
            "OCF_RESKEY_node_list": nodeList,
            "OCF_RESKEY_master_ip": "127.0.0.1",
            "OCF_RESKEY_pgdata": root + "/data",
            "OCF_RESKEY_tmpdir": root + "/tmp",
            "OCF_RESKEY_pgdba": UserAccount.current?.name ?? "root",
            "OCF_RESKEY_monitor_password": "s3cret-password",
            "OCF_RESKEY_monitor_user": "monitor",
        ]
        for (key, value) in extra { environment[key] = value }
    }

    deinit { ReplicationHarness.removeTree(root) }

    var tmpdir: String { root + "/tmp" }
    var pgdata: String { root + "/data" }

    /// The agent's log lines so far.
    var agentLog: String { ReplicationHarness.contents(of: root + "/agent.log") ?? "" }

    /// The context of `action` whose deadline is `seconds` away, with the fakes as runner and `monitor_sql`.
    func agentContext(_ action: OCFAction, seconds: Double = 10) throws -> AgentContext {
        let ocf = try OCFEnvironment(environment)
        let parameters = try AgentParameters(environment)
        let owner = try #require(UserAccount.current)
        let logger = OCFLogger(configuration: LogConfiguration(ident: "unit", logFile: root + "/agent.log"))
        let agent = AgentContext(
            action: action, environment: environment, ocf: ocf, parameters: parameters, logger: logger,
            runner: cluster, deadline: Deadline(after: .milliseconds(Int64(seconds * 1000))), owner: owner)
        agent.monitorSQL = monitorSQL
        return agent
    }

    /// A replication context for `action` whose deadline is `seconds` away.
    func context(_ action: OCFAction, seconds: Double = 10) throws -> ReplicationContext {
        try ReplicationContext(context: agentContext(action, seconds: seconds), server: server)
    }

    func file(_ name: String) -> String? { ReplicationHarness.contents(of: tmpdir + "/" + name) }

    static func contents(of path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            bytes += chunk.prefix(n)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func setFile(_ name: String, _ content: String) { ReplicationHarness.write(tmpdir + "/" + name, content) }

    static func write(_ path: String, _ content: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        _ = content.utf8CString.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
    }

    /// Removes `path` and everything under it (links are removed, not followed).
    static func removeTree(_ path: String) {
        if let handle = opendir(path) {
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                var info = stat()
                let child = path + "/" + name
                if lstat(child, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR {
                    removeTree(child)
                } else {
                    unlink(child)
                }
            }
            closedir(handle)
        }
        rmdir(path)
    }
}

/// Attribute maps for the fake cluster, in the shell agent's vocabulary.
enum Attributes {
    static func primary(score: String = "1000") -> [String: String] {
        ["pgsql-status": "PRI", "pgsql-data-status": "LATEST", "master-pgsql": score]
    }
    static func syncStandby() -> [String: String] {
        ["pgsql-status": "HS:sync", "pgsql-data-status": "STREAMING|SYNC", "master-pgsql": "100"]
    }
    static func asyncStandby() -> [String: String] {
        ["pgsql-status": "HS:async", "pgsql-data-status": "STREAMING|ASYNC", "master-pgsql": "-INFINITY"]
    }
}

/// Rows of the primary-control query: the primary's flush position and the server's
/// `synchronous_standby_names` (NULL: not checked), then per standby `application_name`, state,
/// sync_state and flush; one row of NULLs when none streams.
func replicationAnswer(
    primaryFlush: String, setting: String? = nil, _ standbys: [(String, String, String, String)]
) -> [[String?]] {
    guard !standbys.isEmpty else { return [[primaryFlush, setting, nil, nil, nil, nil]] }
    return standbys.map { [primaryFlush, setting, $0.0, $0.1.uppercased(), $0.2.uppercased(), $0.3] }
}

extension ReplicationHarness {
    /// A plain instance (`rep_mode=none`) on pgn1, outside any cluster.
    static func plain(_ extra: [String: String] = [:]) -> ReplicationHarness {
        ReplicationHarness(mode: "none", nodes: [:], extra: extra)
    }
}
