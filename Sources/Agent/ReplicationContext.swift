#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres
import Replication

/// What every replication action (rep_mode sync/async/slave) shares: this node's name, the files in
/// tmpdir and PGDATA, one lazily opened database connection, one cluster view, and the attribute
/// rules (read before write, written only on change).
final class ReplicationContext {
    let context: AgentContext
    let me: NodeName
    let names: ResourceAttributes
    let tools: ClusterTools
    private var connection: Connection?
    private var clusterView: ClusterStatus?
    private var clusterFailure: ActionFailure?
    /// Stop and demote must stop PostgreSQL whatever the attribute daemons do: in this mode each
    /// attribute write is tried once (bounded by crm_attr_timeout), a failure is logged, not thrown,
    /// and after one failure the remaining writes of the action are skipped.
    var bestEffortAttributes = false
    private var attributesFailed = false

    init(context: AgentContext) throws(ActionFailure) {
        self.context = context
        guard let me = context.ocf.onNode ?? ReplicationContext.localNodeName(context) else {
            throw ActionFailure(.genericError, "Cannot determine this node's name (OCF_RESKEY_CRM_meta_on_node unset)")
        }
        self.me = me
        self.names = ResourceAttributes(resource: context.ocf.resourceName)
        self.tools = ClusterTools(context: context)
    }

    var p: AgentParameters { context.parameters }
    var logger: OCFLogger { context.logger }
    var mode: ReplicationMode { p.replicationMode }
    var others: [NodeName] { p.nodeList.filter { $0 != me } }

    // MARK: files

    var lockPath: String { p.tmpdir + "/" + LockFileRule.fileName }
    var repModeConfPath: String { p.tmpdir + "/rep_mode.conf" }
    var standbySignalPath: String { p.pgdata + "/standby.signal" }
    var usesStandbySignal: Bool {
        RecoveryConfiguration.usesStandbySignal(major: PostgresVersion.ofDataDirectory(p.pgdata)?.major ?? 12)
    }
    var recoveryConfPath: String { usesStandbySignal ? p.tmpdir + "/recovery.conf" : p.pgdata + "/recovery.conf" }
    func notePath(_ k: Int) -> String { p.tmpdir + "/xlog_note.\(k)" }

    func fileFailure(_ error: OwnedFile.Failure) -> ActionFailure { ActionFailure(.genericError, error.message) }

    func ensureTmpdir() throws(ActionFailure) {
        do { try OwnedFile.directory(p.tmpdir, owner: context.owner) } catch {
            throw ActionFailure(.insufficientPrivilege, "Can't create \(p.tmpdir): \(error.message)")
        }
    }

    func removeNotes() {
        for k in 0...max(p.xlogCheckCount, 1) + 1 { try? OwnedFile.remove(notePath(k), owner: context.owner) }
    }

    /// Writes `recovery.conf` (and `standby.signal` from PostgreSQL 12 on) for a hot standby of master_ip.
    func writeRecoveryConfiguration() throws(ActionFailure) {
        guard let masterIP = p.masterIP else { throw ActionFailure(.notConfigured, "master_ip can't be empty") }
        let conf = RecoveryConfiguration(
            masterIP: masterIP, port: p.pgport, replicationUser: p.repuser, node: me,
            conninfoOptions: p.primaryConninfoOptions, restoreCommand: p.restoreCommand,
            archiveCleanupCommand: p.archiveCleanupCommand ?? "", recoveryEndCommand: p.recoveryEndCommand ?? "",
            slot: p.replicationSlotName, usesStandbySignal: usesStandbySignal)
        do {
            try OwnedFile.write(recoveryConfPath, conf.content, owner: context.owner)
            if usesStandbySignal {
                try OwnedFile.touch(standbySignalPath, owner: context.owner)
                try ensureIncluded(recoveryConfPath)
            }
        } catch {
            throw ActionFailure(.genericError, "Can't create recovery.conf: \(error.message)")
        }
        logger.debug("Created recovery configuration. host=\(masterIP), user=\(p.repuser)")
    }

    /// Appends `include '<path>' # added by pgsql RA` to the configuration unless it includes the file.
    ///
    /// Appended with pgdba's identity, as the shell agent's `>>` appended (as root): the file keeps
    /// its inode, owner and mode, and a symbolic link stays a link (the file it leads to gets the line).
    func ensureIncluded(_ path: String) throws(OwnedFile.Failure) {
        guard case .success(let config) = ServerConfig.read(p.config, as: context.owner) else { return }
        guard !RecoveryConfiguration.includes(config, path: path) else { return }
        let line = RecoveryConfiguration.includeLine(for: path)
        logger.info("Adding \(line) to \(p.config)")
        try ServerConfig.append(line: line, after: config, to: p.config, as: context.owner)
    }

    /// The `synchronous_standby_names` this agent last wrote to rep_mode.conf.
    func currentSyncNames() -> SynchronousStandbyNames {
        SynchronousStandbyNames(repModeConf: TextFile.read(repModeConfPath) ?? "")
    }

    /// Writes rep_mode.conf; the caller reloads the server if it runs.
    func writeSyncNames(_ names: SynchronousStandbyNames) throws(ActionFailure) {
        do { try OwnedFile.write(repModeConfPath, names.repModeConf, owner: context.owner) } catch {
            throw fileFailure(error)
        }
    }

    /// Every standby asynchronous (sync mode): the state a node starts and stops in.
    func setAsyncModeAll() throws(ActionFailure) {
        guard mode == .sync else { return }
        if currentSyncNames() != .none || !TextFile.isRegularFile(repModeConfPath) {
            logger.info("Set all nodes into async mode.")
            try writeSyncNames(.none)
        }
    }

    /// Reloads the server's configuration (SIGHUP to the postmaster, what `pg_ctl reload` does).
    func reload() throws(ActionFailure) {
        guard case .running(let pidFile) = ServerProcess.state(dataDirectory: p.pgdata) else { return }
        guard kill(pidFile.pid, SIGHUP) == 0 else {
            throw ActionFailure(.genericError, "Can't reload configuration file (errno \(errno))")
        }
        logger.info("Reload configuration file.")
    }

    // MARK: database

    func sql(_ text: String) throws(ActionFailure) -> [[String?]] {
        do {
            if connection == nil {
                connection = try Connection.open(
                    DatabaseHealth(context: context).connectionParameters, as: context.owner, until: context.deadline)
            }
            return try connection!.query(text, until: context.deadline)
        } catch {
            connection = nil
            throw ActionFailure(.genericError, "PostgreSQL query failed (\(text)): \(error.message)")
        }
    }

    func value(_ text: String) throws(ActionFailure) -> String? {
        try sql(text).first?.first ?? nil
    }

    func closeConnection() { connection = nil }

    /// `pg_is_in_recovery()`.
    func isInRecovery() throws(ActionFailure) -> Bool {
        switch try value("select pg_is_in_recovery()") {
        case "t": return true
        case "f": return false
        case let other: throw ActionFailure(.genericError, "Unexpected pg_is_in_recovery() result '\(other ?? "NULL")'")
        }
    }

    /// max(replay, receive) location; a primary reports 0 (both are NULL there).
    func myLocation() throws(ActionFailure) -> LSN {
        let version = PostgresVersion.ofDataDirectory(p.pgdata)?.major ?? 10
        let query = version >= 10
            ? "select pg_last_wal_replay_lsn(), pg_last_wal_receive_lsn()"
            : "select pg_last_xlog_replay_location(), pg_last_xlog_receive_location()"
        let row = try sql(query).first ?? []
        let values = row.compactMap { $0.flatMap { LSN(postgres: $0) } }
        return values.max() ?? LSN(0)
    }

    func replicationRows() throws(ActionFailure) -> [ReplicationRow] {
        try sql("select application_name, upper(state), upper(sync_state) from pg_stat_replication").compactMap {
            row in
            guard row.count == 3, let name = row[0] else { return nil }
            return ReplicationRow(applicationName: name, state: row[1] ?? "", syncState: row[2] ?? "")
        }
    }

    // MARK: cluster

    /// The cluster view, read once per action; a failure is remembered too (not retried).
    func cluster() throws(ActionFailure) -> ClusterStatus {
        if let clusterView { return clusterView }
        if let clusterFailure { throw clusterFailure }
        do {
            let view = try tools.status()
            clusterView = view
            return view
        } catch {
            clusterFailure = error
            throw error
        }
    }

    /// The cluster view, or – when crm_mon cannot answer – a view that knows only this node, so that
    /// this node's own attributes are still written (stop must not fail on it).
    func clusterOrSelf() -> ClusterStatus {
        do { return try cluster() } catch {
            logger.warning("Cannot read the cluster status (\(error.reason)); writing this node's attributes blindly")
            return ClusterStatus(nodes: [me: NodeAttributes(online: true)])
        }
    }

    func planner(_ view: ClusterStatus) -> AttributePlanner {
        AttributePlanner(names: names, me: me, nodes: view.nodes)
    }

    /// Applies writes and records them in the cached view, so later rules in this action see them.
    func apply(_ writes: [AttributeWrite?]) throws(ActionFailure) {
        let list = writes.compactMap { $0 }
        guard !list.isEmpty else { return }
        try attributeCall { () throws(ActionFailure) in try tools.apply(list, retrying: !bestEffortAttributes) }
        guard clusterView != nil else { return }
        for w in list { clusterView!.nodes[w.node]?.values[w.name] = w.value }
    }

    func setStatus(_ status: PgsqlStatus, on node: NodeName? = nil) throws(ActionFailure) {
        try apply([planner(clusterOrSelf()).status(node ?? me, status)])
    }

    func setDataStatus(_ status: DataStatus, on node: NodeName? = nil) throws(ActionFailure) {
        try apply([planner(clusterOrSelf()).dataStatus(node ?? me, status)])
    }

    func setOwn(_ name: String, _ value: String?) throws(ActionFailure) {
        try apply([planner(clusterOrSelf()).own(name, value)])
    }

    /// This node's promotion score, written only when it changes.
    func setOwnScore(_ score: PromotionScore) throws(ActionFailure) {
        let view = clusterOrSelf()
        guard view.attribute(me, names.promotionScore) != score.rawValue else { return }
        try attributeCall { () throws(ActionFailure) in
            try tools.setPromotionScore(score, me: me, retrying: !bestEffortAttributes)
        }
        if clusterView != nil { clusterView!.nodes[me]?.values[names.promotionScore] = score.rawValue }
    }

    /// check_wal_receiver: deletes `<rsc>-receiver-status` (stop, demote).
    func withdrawReceiverStatus() throws(ActionFailure) {
        guard p.checkWALReceiver else { return }
        try attributeCall { () throws(ActionFailure) in try WALReceiverReport(context: context).withdraw() }
    }

    private func attributeCall(_ body: () throws(ActionFailure) -> Void) throws(ActionFailure) {
        guard bestEffortAttributes else { return try body() }
        guard !attributesFailed else { return }
        do { try body() } catch {
            attributesFailed = true
            logger.warning("\(error.reason); leaving this action's other attributes unchanged")
        }
    }

    private static func localNodeName(_ context: AgentContext) -> NodeName? {
        var info = utsname()
        guard uname(&info) == 0 else { return nil }
        let name = withUnsafeBytes(of: &info.nodename) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return NodeName(name)
    }

    // MARK: slots

    func slotExists(_ slot: ReplicationSlotName) throws(ActionFailure) -> Bool {
        try value("select count(*) from pg_replication_slots where slot_name = '\(slot.rawValue)'") != "0"
    }

    /// Drops the slots this node would keep as a primary (a standby must not retain WAL for others).
    func dropOwnSlots() throws(ActionFailure) {
        guard let base = p.replicationSlotName else { return }
        for slot in base.slots(on: me, nodeList: p.nodeList) where try slotExists(slot) {
            _ = try sql("select pg_drop_replication_slot('\(slot.rawValue)')")
            logger.info("PostgreSQL delete the replication slot(\(slot.rawValue)).")
        }
    }

    /// (Re)creates one slot per other node on a new primary.
    func createSlots() throws(ActionFailure) {
        guard let base = p.replicationSlotName else { return }
        for slot in base.slots(on: me, nodeList: p.nodeList) {
            if try slotExists(slot) {
                _ = try sql("select pg_drop_replication_slot('\(slot.rawValue)')")
                logger.info("PostgreSQL delete the replication slot(\(slot.rawValue)).")
            }
            _ = try sql("select pg_create_physical_replication_slot('\(slot.rawValue)')")
            logger.info("PostgreSQL creates the replication slot(\(slot.rawValue)).")
        }
    }
}
