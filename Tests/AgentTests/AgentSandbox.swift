#if canImport(Glibc)
    import Glibc
#endif
import Exec
import Postgres
import Testing

/// A scratch data directory, configuration file and tmpdir that pass the agent's validation.
///
/// As root, with pgdba root; with the environment Pacemaker would pass for them. Removed on deinit.
final class AgentSandbox {
    let root: String
    var pgdata: String { root + "/data" }
    var tmpdir: String { root + "/tmp" }
    var config: String { root + "/postgresql.conf" }

    init() throws {
        var template = Array("/tmp/pgsql-swift-sandbox-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        root = String(cString: try #require(made))
        let me = try #require(UserAccount.current)
        try #require(mkdir(pgdata, 0o700) == 0)
        try OwnedFile.write(pgdata + "/PG_VERSION", "15\n", owner: me)
        try OwnedFile.write(config, "# sandbox\n", owner: me)
    }

    deinit { ReplicationHarness.removeTree(root) }

    /// The monitor password every environment carries (and no child may see).
    static let password = "s3cret-monitor-pw"

    /// A replication (rep_mode=sync) environment for an action on `node`; `extra` overrides.
    func environment(node: String = "pgn1", _ extra: [String: String] = [:]) -> [String: String] {
        var env = [
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HA_LOGFILE": root + "/agent.log", "HA_SBIN_DIR": "/usr/sbin",
            "OCF_ROOT": "/usr/lib/ocf", "OCF_RESOURCE_INSTANCE": "pgsql",
            "OCF_RESKEY_crm_feature_set": "3.16.2",
            "OCF_RESKEY_CRM_meta_on_node": node, "OCF_RESKEY_CRM_meta_promotable": "true",
            "OCF_RESKEY_CRM_meta_notify": "true", "OCF_RESKEY_CRM_meta_timeout": "4000",
            "OCF_RESKEY_pgctl": "/usr/lib/postgresql/15/bin/pg_ctl", "OCF_RESKEY_pgdata": pgdata,
            "OCF_RESKEY_config": config, "OCF_RESKEY_tmpdir": tmpdir, "OCF_RESKEY_pgdba": "root",
            "OCF_RESKEY_logfile": root + "/postgresql.log",
            "OCF_RESKEY_rep_mode": "sync", "OCF_RESKEY_node_list": "pgn1 pgn2", "OCF_RESKEY_master_ip": "10.9.9.9",
            "OCF_RESKEY_monitor_user": "monitor", "OCF_RESKEY_monitor_password": AgentSandbox.password,
            "PGPASSWORD": AgentSandbox.password,
        ]
        for (key, value) in extra { env[key] = value }
        return env
    }

    /// `crm_mon -1 -A --output-as=xml` of a cluster with these nodes (name → online) and attributes.
    static func crmMon(
        online: [String: Bool], attributes: [String: [String: String]] = [:], promoted: String? = nil
    ) -> String {
        var xml = "<pacemaker-result api-version=\"2.29\" request=\"crm_mon\"><nodes>"
        for (name, up) in online.sorted(by: { $0.key < $1.key }) {
            xml += "<node name=\"\(name)\" id=\"\(name)\" online=\"\(up)\" type=\"member\"/>"
        }
        xml += "</nodes><resources>"
        if let promoted {
            xml += "<resource id=\"pgsql\" role=\"Promoted\" active=\"true\"><node name=\"\(promoted)\"/></resource>"
        }
        xml += "</resources><node_attributes>"
        for (name, values) in attributes.sorted(by: { $0.key < $1.key }) where online[name] == true {
            xml += "<node name=\"\(name)\">"
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                xml += "<attribute name=\"\(key)\" value=\"\(value)\"/>"
            }
            xml += "</node>"
        }
        return xml + "</node_attributes><status code=\"0\" message=\"OK\"/></pacemaker-result>"
    }
}
