public import OCF
public import Replication
import Exec
import Postgres

/// The agent's 33 parameters (the shell agent's names and defaults), parsed into typed values.
///
/// An unset parameter and a parameter set to the empty string both take the default: Pacemaker
/// passes only what is configured, and `pcs resource update … name=` removes a value.
public struct AgentParameters: Sendable {
    public var pgctl: String
    public var psql: String
    public var pgdata: String
    public var pgdba: String
    public var pghost: String?
    public var pgport: Int
    public var pglibs: String
    public var monitorUser: String?
    public var monitorPassword: String?
    public var monitorSQL: String
    public var config: String
    public var pgdb: String
    public var logfile: String
    public var socketdir: String?
    public var startOptions: String
    public var ctlOptions: [String]
    public var stopEscalate: Int
    public var stopEscalateInSlave: Int
    public var replicationMode: ReplicationMode
    public var nodeList: [NodeName]
    public var restoreCommand: String
    public var archiveCleanupCommand: String?
    public var recoveryEndCommand: String?
    public var masterIP: String?
    public var repuser: String
    public var primaryConninfoOptions: String
    public var restartOnPromote: Bool
    public var replicationSlotName: ReplicationSlotName?
    public var tmpdir: String
    public var xlogCheckCount: Int
    public var crmAttributeTimeout: Int
    public var checkWALReceiver: Bool
    public var externalStandbyNodeList: [NodeName]

    /// The default `monitor_sql`; in replication modes it is skipped unless customised.
    public static let defaultMonitorSQL = "select now();"

    /// The user monitoring SQL connects as: `monitor_user`, or `pgdba`.
    public var effectiveMonitorUser: String { monitorUser ?? pgdba }

    /// Parses the `OCF_RESKEY_*` variables.
    ///
    /// - Throws: ``ActionFailure`` with `notConfigured` (6) naming the parameter and the rule it breaks.
    public init(_ env: [String: String]) throws(ActionFailure) {
        let reader = ParameterReader(env: env)
        pgctl = reader.string("pgctl", default: "/usr/bin/pg_ctl")
        psql = reader.string("psql", default: "/usr/bin/psql")
        pgdata = try reader.absolutePath("pgdata", default: "/var/lib/pgsql/data")
        pgdba = reader.string("pgdba", default: "postgres")
        pghost = reader.optional("pghost")
        pgport = try reader.integer("pgport", default: 5432, range: 1...65535)
        pglibs = reader.string("pglibs", default: "/usr/lib")
        monitorUser = reader.optional("monitor_user")
        monitorPassword = env["OCF_RESKEY_monitor_password"].flatMap { $0.isEmpty ? nil : $0 }
        monitorSQL = reader.string("monitor_sql", default: AgentParameters.defaultMonitorSQL)
        config = try reader.absolutePath("config", default: pgdata + "/postgresql.conf")
        pgdb = reader.string("pgdb", default: "template1")
        logfile = try reader.absolutePath("logfile", default: "/dev/null")
        socketdir = try reader.optionalAbsolutePath("socketdir")
        startOptions = reader.string("start_opt", default: "")
        ctlOptions = try reader.words("ctl_opt")
        stopEscalate = try reader.integer("stop_escalate", default: 90, range: Int(Int32.min)...Int(Int32.max))
        stopEscalateInSlave = try reader.integer(
            "stop_escalate_in_slave", default: 90, range: Int(Int32.min)...Int(Int32.max))
        let modeText = reader.string("rep_mode", default: "none")
        guard let mode = ReplicationMode(rawValue: modeText) else {
            throw ActionFailure(.notConfigured, "Invalid rep_mode : \(modeText) (use none, async, sync or slave)")
        }
        replicationMode = mode
        nodeList = try reader.nodeList("node_list")
        restoreCommand = reader.string("restore_command", default: "")
        archiveCleanupCommand = reader.optional("archive_cleanup_command")
        recoveryEndCommand = reader.optional("recovery_end_command")
        masterIP = reader.optional("master_ip")
        repuser = reader.string("repuser", default: "postgres")
        primaryConninfoOptions = reader.string("primary_conninfo_opt", default: "")
        restartOnPromote = try reader.boolean("restart_on_promote", default: false)
        if let slot = reader.optional("replication_slot_name") {
            guard let name = ReplicationSlotName(slot) else {
                throw ActionFailure(
                    .notConfigured,
                    "Invalid replication_slot_name(\(slot)). only use lower case letters, numbers, and the underscore character."
                )
            }
            // Every standby's slot is `<name>_<node>`: each must be a valid slot name too, or the
            // primary could not create it and the standby would wait for it forever; and no two
            // nodes may share one.
            var owners: [ReplicationSlotName: NodeName] = [:]
            for node in nodeList {
                guard let own = name.slot(for: node) else {
                    throw ActionFailure(
                        .notConfigured,
                        "Invalid replication slot name for node \(node): '\(slot)_\(ReplicationSlotName.suffix(for: node))' must be at most \(ReplicationSlotName.maximumLength) lower case letters, numbers and underscores"
                    )
                }
                if let other = owners.updateValue(node, forKey: own) {
                    throw ActionFailure(
                        .notConfigured,
                        "node_list entries \(other) and \(node) would share the replication slot \(own); rename one node"
                    )
                }
            }
            replicationSlotName = name
        } else {
            replicationSlotName = nil
        }
        tmpdir = try reader.absolutePath("tmpdir", default: "/var/lib/pgsql/tmp")
        xlogCheckCount = try reader.integer("xlog_check_count", default: 3, range: 0...1_000_000)
        crmAttributeTimeout = try reader.integer("crm_attr_timeout", default: 5, range: 1...86_400)
        checkWALReceiver = try reader.boolean("check_wal_receiver", default: false)
        externalStandbyNodeList = try reader.nodeList("external_standby_node_list")

        for (name, value) in [("pgctl", pgctl), ("psql", psql), ("pgdba", pgdba), ("pgdb", pgdb)]
        where value.contains(where: { $0 == "\0" || $0.isNewline }) {
            throw ActionFailure(.notConfigured, "\(name) must not contain control characters")
        }
    }
}

/// Reads one kind of value each from `OCF_RESKEY_<name>`, with the parameter's name in every error.
struct ParameterReader {
    let env: [String: String]

    func optional(_ name: String) -> String? {
        guard let value = env["OCF_RESKEY_" + name], !value.isEmpty else { return nil }
        return value
    }

    func string(_ name: String, default defaultValue: String) -> String {
        optional(name) ?? defaultValue
    }

    func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ActionFailure) -> Int {
        guard let text = optional(name) else { return defaultValue }
        guard let value = Int(text.trimmingSpaces), range.contains(value) else {
            throw ActionFailure(
                .notConfigured, "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return value
    }

    func boolean(_ name: String, default defaultValue: Bool) throws(ActionFailure) -> Bool {
        guard let text = optional(name) else { return defaultValue }
        guard let value = OCFBoolean.parse(text.trimmingSpaces) else {
            throw ActionFailure(.notConfigured, "\(name) must be true or false, not '\(text)'")
        }
        return value
    }

    func absolutePath(_ name: String, default defaultValue: String) throws(ActionFailure) -> String {
        try optionalAbsolutePath(name) ?? defaultValue
    }

    func optionalAbsolutePath(_ name: String) throws(ActionFailure) -> String? {
        guard let path = optional(name) else { return nil }
        guard path.hasPrefix("/") else {
            throw ActionFailure(.notConfigured, "\(name) must be an absolute path, not '\(path)'")
        }
        guard !path.contains(where: { $0 == "\0" || $0.isNewline }) else {
            throw ActionFailure(.notConfigured, "\(name) must not contain control characters")
        }
        return path
    }

    func words(_ name: String) throws(ActionFailure) -> [String] {
        guard let text = optional(name) else { return [] }
        do {
            return try ShellWords.split(text)
        } catch {
            throw ActionFailure(.notConfigured, "\(name) has an unbalanced quote or a trailing backslash: '\(text)'")
        }
    }

    /// A list of distinct node names.
    ///
    /// A name given twice, also in another case (one Pacemaker node, two spellings for PostgreSQL),
    /// is a configuration error.
    func nodeList(_ name: String) throws(ActionFailure) -> [NodeName] {
        guard let text = optional(name) else { return [] }
        guard let names = NodeName.words(text) else {
            throw ActionFailure(.notConfigured, "\(name) must be node names separated by spaces, not '\(text)'")
        }
        for (k, node) in names.enumerated() {
            if let earlier = names[..<k].first(where: node.sameNodeIgnoringCase) {
                let spelling = earlier == node ? "" : " (as \(earlier))"
                throw ActionFailure(.notConfigured, "\(name) names \(node) twice\(spelling): '\(text)'")
            }
        }
        return names
    }
}
