public import OCF

/// What `meta-data` prints: every parameter of `ocf:heartbeat:pgsql` with the same name, default and
/// content type, described for operators.
public enum AgentMetaData {
    public static let agentName = "pgsql-swift"
    public static let agentVersion = "0.1.0"

    public static var document: ResourceAgentMetaData {
        typealias P = ResourceAgentMetaData.Parameter
        let parameters: [P] = [
            P("pgctl", default: "/usr/bin/pg_ctl", short: "pg_ctl path",
              long: "Full path of the pg_ctl program that starts, stops and promotes this instance (a bare name is looked up in PATH)."),
            P("start_opt", default: "", short: "Extra server options",
              long: "Options handed to the postgres server through pg_ctl -o, for example \"-i -p 5432\"."),
            P("ctl_opt", default: "", short: "Extra pg_ctl options",
              long: "Options added to the pg_ctl start command line. They are split into words like a shell would, without any expansion."),
            P("psql", default: "/usr/bin/psql", short: "psql path",
              long: "Accepted for compatibility with ocf:heartbeat:pgsql. pgsql-swift talks to PostgreSQL through libpq and never runs psql, so this program need not exist."),
            P("pgdata", default: "/var/lib/pgsql/data", short: "Data directory",
              long: "Absolute path of the PostgreSQL data directory (PGDATA)."),
            P("pgdba", default: "postgres", short: "Operating-system owner",
              long: "The operating-system account that owns the data directory. pg_ctl runs as this account, and monitoring connects with its identity."),
            P("pghost", default: "", short: "Listen address",
              long: "Host name or IP address PostgreSQL listens on. It is passed to the server as -h and used for monitoring connections (it takes precedence over socketdir)."),
            P("pgport", type: .integer, default: "5432", short: "Port",
              long: "TCP port (and unix socket number) of the instance, used for monitoring and exported to the server as PGPORT."),
            P("pglibs", default: "/usr/lib", short: "Library directory",
              long: "Directory appended to LD_LIBRARY_PATH for the PostgreSQL programs the agent runs."),
            P("monitor_user", default: "", short: "Monitoring database user",
              long: "Database user for the monitoring queries. When empty, pgdba is used."),
            P("monitor_password", default: "", short: "Monitoring password",
              long: "Password of monitor_user. It is handed to libpq directly and never appears in a command line, the environment of a child process, or a log. Requires monitor_user."),
            P("monitor_sql", default: AgentParameters.defaultMonitorSQL, short: "Health-check SQL",
              long: "SQL run by each monitor to check that the database answers. In replication modes it runs on the primary only, and only when changed from the default."),
            P("config", default: "${OCF_RESKEY_pgdata}/postgresql.conf", short: "Configuration file",
              long: "Absolute path of the server configuration file; the server is started with -c config_file=<this path>."),
            P("pgdb", default: "template1", short: "Monitoring database",
              long: "Database the monitoring connection opens."),
            P("logfile", default: "/dev/null", short: "Server log file",
              long: "Absolute path of the file pg_ctl sends the server's output to. It is created (owned by pgdba) if missing. When it is a regular file, a failed start quotes its last lines as the exit reason."),
            P("socketdir", default: "", short: "Unix socket directory",
              long: "Directory of the server's unix socket, used for monitoring connections when pghost is empty; created with mode 2775 if missing. Required when postgresql.conf sets unix_socket_directories."),
            P("stop_escalate", type: .integer, default: "90", short: "Fast-stop grace period",
              long: "Seconds to wait for a fast shutdown before an immediate one. Shortened to leave 10 seconds of the stop timeout; 0 or less stops immediately."),
            P("rep_mode", default: "none", short: "Replication mode",
              long: "none: a single instance. async or sync: a promotable clone with streaming replication (sync keeps one standby synchronous); these need node_list and master_ip. slave: a plain resource that always starts as a hot standby of master_ip."),
            P("node_list", default: "", short: "Cluster nodes",
              long: "Space-separated names of every node that can run the database, required for async and sync."),
            P("restore_command", default: "", short: "restore_command",
              long: "restore_command written into the standby's recovery settings."),
            P("archive_cleanup_command", default: "", short: "archive_cleanup_command",
              long: "archive_cleanup_command written into the standby's recovery settings when set."),
            P("recovery_end_command", default: "", short: "recovery_end_command",
              long: "recovery_end_command written into the standby's recovery settings when set."),
            P("master_ip", default: "", short: "Primary address",
              long: "The address standbys connect to (normally the primary's virtual IP): host= of primary_conninfo. Required in async, sync and slave modes."),
            P("repuser", default: "postgres", short: "Replication user",
              long: "Database user standbys connect as: user= of primary_conninfo."),
            P("primary_conninfo_opt", default: "", short: "Extra primary_conninfo",
              long: "Further primary_conninfo keywords, appended after host, port, user and application_name."),
            P("restart_on_promote", type: .boolean, default: "false", short: "Restart on promote",
              long: "When true, promotion restarts the server without its standby settings instead of running pg_ctl promote, keeping the timeline. Slower; consider on-fail=fence for promote."),
            P("replication_slot_name", default: "", short: "Replication slot prefix",
              long: "Enables physical replication slots named <prefix>_<node> (node names lower-cased, '-' and '.' turned into '_'). Only lower-case letters, digits and '_' are allowed. Watch the slots' WAL retention: an absent standby's slot keeps WAL on the primary."),
            P("tmpdir", default: "/var/lib/pgsql/tmp", short: "State directory",
              long: "Absolute path of the directory holding PGSQL.lock, rep_mode.conf, recovery.conf (PostgreSQL 12 and later) and the xlog samples. Owned by pgdba, mode 0700."),
            P("xlog_check_count", type: .integer, default: "3", short: "WAL position samples",
              long: "How many monitors in a row a standby must see unchanged WAL positions on all nodes before it claims the right to be promoted when no primary exists."),
            P("crm_attr_timeout", type: .integer, default: "5", short: "crm_attribute timeout",
              long: "Seconds allowed for one update of a permanent node attribute."),
            P("stop_escalate_in_slave", type: .integer, default: "90", short: "Standby fast-stop grace period",
              long: "Like stop_escalate, for stops in the replication modes."),
            P("check_wal_receiver", type: .boolean, default: "false", short: "Report WAL receiver",
              long: "When true, each monitor sets the node attribute <resource>-receiver-status to normal, normal (master) or ERROR."),
            P("external_standby_node_list", default: "", short: "External synchronous standbys",
              long: "Space-separated application_names of synchronous standbys outside the cluster; rep_mode=sync only."),
        ]
        typealias A = ResourceAgentMetaData.Action
        return ResourceAgentMetaData(
            name: agentName,
            agentVersion: agentVersion,
            ocfVersion: "1.1",
            shortDescription: "Manages a PostgreSQL instance, alone or as a streaming-replication cluster",
            longDescription: """
                pgsql-swift runs a PostgreSQL server under Pacemaker. It accepts the parameters of \
                ocf:heartbeat:pgsql and keeps its node attributes, scores and files, so an existing \
                configuration keeps working when only the agent name changes.
                """,
            parameters: parameters,
            actions: [
                A("start", timeout: 120),
                A("stop", timeout: 120),
                A("status", timeout: 60),
                A("monitor", timeout: 30, interval: 30, depth: 0),
                A("monitor", timeout: 30, interval: 29, depth: 0, role: "Promoted"),
                A("monitor", timeout: 30, interval: 31, depth: 0, role: "Unpromoted"),
                A("promote", timeout: 120),
                A("demote", timeout: 120),
                A("notify", timeout: 90),
                A("meta-data", timeout: 5),
                A("validate-all", timeout: 5),
                A("methods", timeout: 5),
            ]
        )
    }

    /// The default timeout of an action, used when Pacemaker passes none (a manual run).
    public static func defaultTimeoutSeconds(for action: OCFAction) -> Int {
        document.actions.first { $0.name == action.rawValue }?.timeoutSeconds ?? 20
    }
}
