#if canImport(Glibc)
    import Glibc
#endif
public import Exec
public import OCF
import Postgres
import Replication

/// The checks made before an action, in the shell agent's two levels.
///
/// Level 0 (every action, and `validate-all` by default) looks only at the parameters and the
/// account database. Level 10 (every action but `validate-all`, which runs it with
/// `OCF_CHECK_LEVEL=10`) looks at the node: programs, files and permissions. Neither level changes
/// anything on the node.
public enum Validation {
    /// - Returns: the `pgdba` account.
    /// - Throws: ``ActionFailure``: `notInstalled` when pgdba does not exist, `notConfigured` for
    ///   parameters that contradict each other.
    public static func level0(_ p: AgentParameters) throws(ActionFailure) -> UserAccount {
        guard let owner = UserAccount.named(p.pgdba) else {
            throw ActionFailure(.notInstalled, "User \(p.pgdba) doesn't exist")
        }
        if p.monitorPassword != nil && p.monitorUser == nil {
            throw ActionFailure(.notConfigured, "monitor_user has to be set if monitor_password is set")
        }
        if p.replicationMode != .none && p.masterIP == nil {
            throw ActionFailure(.notConfigured, "master_ip can't be empty.")
        }
        if p.replicationMode.isPromotable && p.nodeList.isEmpty {
            throw ActionFailure(.notConfigured, "node_list can't be empty.")
        }
        if !p.externalStandbyNodeList.isEmpty && p.replicationMode != .sync {
            throw ActionFailure(.notConfigured, "external_standby_node_list requires rep_mode=sync.")
        }
        // The standby's application_name is its node name, which the primary matches against
        // node_list: a later application_name in primary_conninfo_opt would silently win.
        if !p.primaryConninfoOptions.isEmpty {
            guard let keys = ConninfoKeywords.keywords(of: p.primaryConninfoOptions) else {
                throw ActionFailure(
                    .notConfigured, "primary_conninfo_opt is not a connection string (keyword=value …)")
            }
            if keys.contains("application_name") {
                throw ActionFailure(
                    .notConfigured,
                    "primary_conninfo_opt must not set application_name: the agent sets it to the node name")
            }
        }
        // Node names become application_name and synchronous_standby_names entries: a name PostgreSQL
        // would change never matches its pg_stat_replication row.
        for (list, nodes) in [("node_list", p.nodeList), ("external_standby_node_list", p.externalStandbyNodeList)] {
            for node in nodes {
                if let problem = node.applicationNameProblem {
                    throw ActionFailure(
                        .notConfigured,
                        "\(list): node name '\(node)' \(problem); it cannot be a standby's application_name")
                }
            }
        }
        return owner
    }

    /// In rep_mode sync/async this node must be in node_list, spelt as Pacemaker spells it: its name
    /// is its standby's `application_name`, which the primary matches against node_list exactly.
    ///
    /// Checked by the actions of a member (start, promote, notify, monitor); not by stop and demote,
    /// which must stop PostgreSQL whatever the configuration, nor by validate-all, which may run on
    /// any node. `invalidArgument` (2), not `notConfigured` (6): the configuration is right for the
    /// nodes it names, and 6 would stop the resource on every node, its primary too; 2 keeps it off
    /// this node only.
    public static func membership(_ p: AgentParameters, me: NodeName?) throws(ActionFailure) {
        guard p.replicationMode.isPromotable else { return }
        guard let me else {
            throw ActionFailure(
                .invalidArgument, "Cannot determine this node's name (OCF_RESKEY_CRM_meta_on_node unset)")
        }
        guard !p.nodeList.contains(me) else { return }
        let list = p.nodeList.map(\.rawValue).joined(separator: " ")
        if let spelling = p.nodeList.first(where: me.sameNodeIgnoringCase) {
            throw ActionFailure(
                .invalidArgument,
                "node_list (\(list)) spells this node \(spelling), Pacemaker calls it \(me): write node names as Pacemaker does, case included (they are PostgreSQL application names)"
            )
        }
        throw ActionFailure(.invalidArgument, "This node, \(me), is not in node_list (\(list))")
    }

    /// - Parameter stopping: the action is `stop`. A `PG_VERSION` or configuration file that is not a
    ///   regular file (a FIFO, a link pgdba put there) fails every other action; a stop only logs it,
    ///   because it needs neither file and must stop the server (pg_ctl is then not run, see
    ///   ``StopAction``).
    /// - Throws: ``ActionFailure`` with the shell agent's codes: `notInstalled` (missing program,
    ///   configuration file, data directory, or too old a server; `PG_VERSION` or the configuration
    ///   not a regular file), `insufficientPrivilege` (pgdba cannot write the data directory),
    ///   `notConfigured` (settings that cannot work).
    public static func level10(
        _ p: AgentParameters, ocf: OCFEnvironment, owner: UserAccount, isProbe: Bool, stopping: Bool = false,
        searchPath: String, logger: OCFLogger
    ) throws(ActionFailure) {
        guard ExecutableLookup.resolve(p.pgctl, searchPath: searchPath) != nil else {
            throw ActionFailure(.notInstalled, "pg_ctl not found or not executable: \(p.pgctl)")
        }
        func unusable(_ message: String) throws(ActionFailure) {
            guard stopping else { throw ActionFailure(.notInstalled, message) }
            logger.warning(message)
        }

        var version: PostgresVersion?
        switch TextFile.contents(p.pgdata + "/PG_VERSION") {
        case .success(let text): version = PostgresVersion(text)
        case .failure(.notRegular(let kind)): try unusable("\(p.pgdata)/PG_VERSION is \(kind), not a regular file")
        case .failure(.missing), .failure(.unreadable): break
        }

        var configText: String?
        switch ServerConfig.read(p.config, as: owner) {
        case .success(let text):
            configText = text
        case .failure(.missing):
            if isProbe {
                logger.info("Unable to read \(p.config) during probe.")
            } else {
                throw ActionFailure(.notInstalled, "Configuration file \(p.config) doesn't exist")
            }
        case .failure(.notRegular(let kind)):
            try unusable("Configuration file \(p.config) is \(kind), not a regular file")
        case .failure(let failure):
            logger.warning("Configuration file \(p.config) \(failure) for \(owner.name)")
        }
        if let configText, version.map({ $0 >= PostgresVersion(major: 9, minor: 3) }) ?? true {
            let directories = ConfigFile(text: configText).value(of: "unix_socket_directories") ?? ""
            if !directories.isEmpty && p.socketdir == nil {
                throw ActionFailure(
                    .notConfigured,
                    "In PostgreSQL 9.3 or higher, socketdir can't be empty if you define unix_socket_directories in the postgresql.conf."
                )
            }
        }

        if !isProbe {
            guard TextFile.isDirectory(p.pgdata) else {
                throw ActionFailure(.notInstalled, "Data directory \(p.pgdata) does not exist")
            }
            guard EffectiveUser.canAccess(p.pgdata, mode: W_OK | X_OK, as: owner) else {
                throw ActionFailure(.insufficientPrivilege, "Directory \(p.pgdata) is not writable by \(p.pgdba)")
            }
        }

        if p.replicationMode != .none {
            if let version, version < PostgresVersion(major: 9, minor: 1) {
                throw ActionFailure(.notInstalled, "Replication mode needs PostgreSQL 9.1 or higher.")
            }
        }
        if p.replicationMode.isPromotable && !ocf.isPromotable {
            throw ActionFailure(
                .notConfigured, "Replication(rep_mode=async or sync) requires Master/Slave configuration.")
        }
        if p.replicationMode == .slave && ocf.isPromotable {
            throw ActionFailure(
                .notConfigured, "Replication(rep_mode=slave) does not support Master/Slave configuration.")
        }
        if p.replicationSlotName != nil, let version, version < PostgresVersion(major: 9, minor: 4) {
            throw ActionFailure(.notConfigured, "Replication slot needs PostgreSQL 9.4 or higher.")
        }
    }

    /// The agent must run as root or as pgdba.
    public static func checkPrivilege(owner: UserAccount) throws(ActionFailure) {
        let uid = geteuid()
        guard uid == 0 || uid == owner.uid else {
            throw ActionFailure(.insufficientPrivilege, "\(AgentMetaData.agentName) must be run as root or \(owner.name)")
        }
    }
}
