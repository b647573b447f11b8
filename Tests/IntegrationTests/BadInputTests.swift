import Exec
import Testing

/// Malformed parameters and environments: each gives the right OCF exit code and an exit reason,
/// never a crash.
@Suite(.serialized, .enabled(if: TestCluster.isAvailable, "needs root, the postgres account and PostgreSQL 15"))
struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let action: String
        let change: [String: String?]
        let code: Int32
        let reason: String?
        var testDescription: String { name }
    }

    /// rep_mode=sync inside a promotable clone, with a tmpdir of its own.
    static let syncClone: [String: String?] = [
        "OCF_RESKEY_rep_mode": "sync", "OCF_RESKEY_node_list": "pgn1 pgn2", "OCF_RESKEY_master_ip": "10.0.0.1",
        "OCF_RESKEY_CRM_meta_promotable": "true", "OCF_RESKEY_CRM_meta_on_node": "pgn1",
        "OCF_RESKEY_tmpdir": "/tmp/pgsql-swift-badinput-tmp",
    ]

    static let cases: [Case] = [
        Case(name: "missing pg_ctl path", action: "start", change: ["OCF_RESKEY_pgctl": "/nonexistent/pg_ctl"], code: 5, reason: "pg_ctl"),
        Case(name: "pg_ctl name not in PATH", action: "start", change: ["OCF_RESKEY_pgctl": "no_such"], code: 5, reason: "pg_ctl"),
        Case(name: "nonexistent pgdba", action: "start", change: ["OCF_RESKEY_pgdba": "no_user"], code: 5, reason: "no_user"),
        Case(name: "pgdba nobody cannot write pgdata", action: "start", change: ["OCF_RESKEY_pgdba": "nobody"], code: 4, reason: "not writable"),
        Case(name: "non-numeric port", action: "start", change: ["OCF_RESKEY_pgport": "abc"], code: 6, reason: "pgport"),
        Case(name: "port out of range", action: "monitor", change: ["OCF_RESKEY_pgport": "99999", "OCF_RESKEY_CRM_meta_interval": "0"], code: 7, reason: nil),
        Case(name: "unknown rep_mode", action: "start", change: ["OCF_RESKEY_rep_mode": "bogus"], code: 6, reason: "rep_mode"),
        Case(name: "relative pgdata", action: "start", change: ["OCF_RESKEY_pgdata": "data"], code: 6, reason: "absolute"),
        Case(name: "relative logfile", action: "validate-all", change: ["OCF_RESKEY_logfile": "pg.log"], code: 6, reason: "logfile"),
        Case(name: "missing config file", action: "start", change: ["OCF_RESKEY_config": "/nonexistent/postgresql.conf"], code: 5, reason: "doesn't exist"),
        Case(name: "missing data directory", action: "start", change: ["OCF_RESKEY_pgdata": "/nonexistent/data", "OCF_RESKEY_config": nil], code: 5, reason: nil),
        Case(name: "password without user", action: "validate-all", change: ["OCF_RESKEY_monitor_password": "x"], code: 6, reason: "monitor_user"),
        Case(name: "socketdir missing while unix_socket_directories is set", action: "start", change: ["OCF_RESKEY_socketdir": nil], code: 6, reason: "socketdir"),
        Case(name: "sync without node_list", action: "validate-all", change: ["OCF_RESKEY_rep_mode": "sync", "OCF_RESKEY_master_ip": "10.0.0.1"], code: 6, reason: "node_list"),
        Case(name: "sync without master_ip", action: "validate-all", change: ["OCF_RESKEY_rep_mode": "sync", "OCF_RESKEY_node_list": "a b"], code: 6, reason: "master_ip"),
        Case(name: "sync outside a promotable clone", action: "start", change: ["OCF_RESKEY_rep_mode": "sync", "OCF_RESKEY_node_list": "a b", "OCF_RESKEY_master_ip": "10.0.0.1"], code: 6, reason: "Master/Slave"),
        Case(name: "upper-case slot name", action: "validate-all", change: ["OCF_RESKEY_replication_slot_name": "Slot"], code: 6, reason: "replication_slot_name"),
        Case(name: "slot name with a dash", action: "start", change: ["OCF_RESKEY_replication_slot_name": "my-slot"], code: 6, reason: "replication_slot_name"),
        Case(name: "slot name too long once a node name is added", action: "validate-all", change: ["OCF_RESKEY_rep_mode": "sync", "OCF_RESKEY_node_list": "a b", "OCF_RESKEY_master_ip": "10.0.0.1", "OCF_RESKEY_replication_slot_name": String(repeating: "s", count: 62)], code: 6, reason: "replication slot name for node a"),
        Case(name: "unbalanced ctl_opt", action: "start", change: ["OCF_RESKEY_ctl_opt": "-o '-c x"], code: 6, reason: "ctl_opt"),
        Case(name: "boolean that is not one", action: "validate-all", change: ["OCF_RESKEY_check_wal_receiver": "perhaps"], code: 6, reason: "check_wal_receiver"),
        Case(name: "malformed timeout", action: "start", change: ["OCF_RESKEY_CRM_meta_timeout": "abc"], code: 2, reason: "timeout"),
        Case(name: "malformed notify type", action: "notify", change: ["OCF_RESKEY_CRM_meta_notify_type": "sideways", "OCF_RESKEY_CRM_meta_notify_operation": "start"], code: 0, reason: nil),
        Case(name: "unknown action", action: "reload", change: [:], code: 3, reason: "reload"),
        Case(name: "stop with broken configuration, not running", action: "stop", change: ["OCF_RESKEY_pgctl": "/nonexistent"], code: 0, reason: nil),
        Case(name: "probe without binaries, not running", action: "monitor", change: ["OCF_RESKEY_pgctl": "/nonexistent", "OCF_RESKEY_CRM_meta_interval": "0"], code: 7, reason: nil),
        Case(name: "validate-all of a good configuration", action: "validate-all", change: [:], code: 0, reason: nil),
        Case(name: "sync notify with a malformed node list", action: "notify", change: syncClone.merging(["OCF_RESKEY_CRM_meta_notify_type": "post", "OCF_RESKEY_CRM_meta_notify_operation": "start", "OCF_RESKEY_CRM_meta_notify_promoted_uname": "pgn1\u{7}"]) { $1 }, code: 2, reason: "Malformed node list"),
        Case(name: "sync notify of an unknown operation", action: "notify", change: syncClone.merging(["OCF_RESKEY_CRM_meta_notify_type": "post", "OCF_RESKEY_CRM_meta_notify_operation": "migrate"]) { $1 }, code: 2, reason: "migrate"),
        Case(name: "sync notify without notify variables", action: "notify", change: syncClone, code: 2, reason: "notify"),
        Case(name: "node name that cannot be an application_name", action: "validate-all", change: syncClone.merging(["OCF_RESKEY_node_list": "pgn1 pg'n2"]) { $1 }, code: 6, reason: "application_name"),
        Case(name: "slave mode with master_ip empty", action: "start", change: ["OCF_RESKEY_rep_mode": "slave", "OCF_RESKEY_master_ip": ""], code: 6, reason: "master_ip"),
        Case(name: "sync in a clone without node_list", action: "start", change: syncClone.merging(["OCF_RESKEY_node_list": nil]) { $1 }, code: 6, reason: "node_list"),
        Case(name: "validate-all at level 10 sees the missing binary", action: "validate-all", change: ["OCF_CHECK_LEVEL": "10", "OCF_RESKEY_pgctl": "/nonexistent"], code: 5, reason: "pg_ctl"),
    ]

    @Test(arguments: cases)
    func badInput(_ c: Case) throws {
        let cluster = try TestCluster()
        var env = cluster.agentEnvironment
        for (key, value) in c.change { env[key] = value }
        let outcome = try AgentBinary.run(c.action, env)
        #expect(outcome.code == c.code, "\(outcome.stderr)")
        if let reason = c.reason {
            let line = try #require(outcome.exitReason, "no exit reason in: \(outcome.stderr)")
            #expect(line.contains(reason), "\(line)")
        }
        #expect(!outcome.stderr.contains("Fatal error"), "no Swift trap")
    }

    @Test func noActionPrintsUsage() throws {
        let result = try ProcessRunner().run(Command(AgentBinary.path, []), until: Deadline(after: .seconds(10)))
        #expect(result.termination == .exited(3))
        #expect(result.standardError.contains("usage:"))
    }

    @Test func metaDataAndMethodsNeedNoConfiguration() throws {
        let env = ["OCF_RESKEY_pgport": "not-a-port", "OCF_RESKEY_pgdba": "no_user"]
        let meta = try AgentBinary.run("meta-data", env)
        #expect(meta.code == 0)
        #expect(meta.stdout.contains("<resource-agent name=\"pgsql-swift\""))
        let methods = try AgentBinary.run("methods", env)
        #expect(methods.code == 0)
        #expect(methods.stdout.split(separator: "\n").contains("validate-all"))
    }
}
