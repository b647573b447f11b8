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
    let server: any LocalServer
    private var clusterView: ClusterStatus?
    private var clusterFailure: ActionFailure?
    /// Stop and demote must stop PostgreSQL whatever the attribute daemons do: in this mode each
    /// attribute write is tried once (bounded by crm_attr_timeout), a failure is logged, not thrown,
    /// and after one failure the remaining writes of the action are skipped.
    var bestEffortAttributes = false
    private var attributesFailed = false
    /// False when tmpdir was refused (a stop or demote then leaves its files alone).
    var tmpdirUsable = true

    init(context: AgentContext, server: (any LocalServer)? = nil) throws(ActionFailure) {
        self.context = context
        guard let me = LocalNode.name(context.ocf) else {
            throw ActionFailure(.genericError, "Cannot determine this node's name (OCF_RESKEY_CRM_meta_on_node unset)")
        }
        self.me = me
        self.names = ResourceAttributes(resource: context.ocf.resourceName)
        self.tools = ClusterTools(context: context)
        self.server = server ?? PostmasterServer(context: context)
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

    /// How long ago rep_mode.conf was last written (by this agent, just before a reload); nil when
    /// it cannot be told.
    func syncNamesAge() -> Duration? {
        var info = stat()
        var now = timespec()
        guard lstat(repModeConfPath, &info) == 0, clock_gettime(CLOCK_REALTIME, &now) == 0 else { return nil }
        let nanoseconds =
            (Int64(now.tv_sec) - Int64(info.st_mtim.tv_sec)) * 1_000_000_000 + Int64(now.tv_nsec)
            - Int64(info.st_mtim.tv_nsec)
        return .nanoseconds(max(0, nanoseconds))
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

    // MARK: database

    func sql(_ text: String) throws(ActionFailure) -> [[String?]] { try server.query(text) }

    func value(_ text: String) throws(ActionFailure) -> String? {
        try sql(text).first?.first ?? nil
    }

    func closeConnection() { server.closeConnection() }

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

    /// `pg_stat_replication`, and – read in the same query – the primary's own flush position and
    /// the `synchronous_standby_names` the server runs with.
    func replicationRows() throws(ActionFailure) -> (
        rows: [ReplicationRow], primaryFlush: LSN?, setting: SynchronousStandbyNames?
    ) {
        let version = PostgresVersion.ofDataDirectory(p.pgdata) ?? PostgresVersion(major: 10)
        let flush = version.major >= 10 ? "flush_lsn" : "flush_location"
        let current =
            version.major >= 10
            ? "pg_current_wal_flush_lsn()"
            : version >= PostgresVersion(major: 9, minor: 6) ? "pg_current_xlog_flush_location()" : "pg_current_xlog_location()"
        // The primary's columns come first, also when no standby streams (a row of NULLs then).
        let table = try sql(
            "select \(current)::text, current_setting('synchronous_standby_names'), r.application_name,"
                + " upper(r.state), upper(r.sync_state), r.\(flush)::text"
                + " from (select 1) one left join pg_stat_replication r on true")
        let primaryFlush = table.first.flatMap { $0.first ?? nil }.flatMap(LSN.init(postgres:))
        let setting = table.first.flatMap { $0.count > 1 ? $0[1] : nil }.map { SynchronousStandbyNames(setting: $0) }
        let rows = table.compactMap { row -> ReplicationRow? in
            guard row.count == 6, let name = row[2] else { return nil }
            return ReplicationRow(
                applicationName: name, state: row[3] ?? "", syncState: row[4] ?? "",
                flush: row[5].flatMap(LSN.init(postgres:)))
        }
        return (rows, primaryFlush, setting)
    }

    // MARK: cluster

    /// The cluster view, read once per action; a failure is remembered too (not retried).
    func cluster(limit: Duration? = nil) throws(ActionFailure) -> ClusterStatus {
        if let clusterView { return clusterView }
        if let clusterFailure { throw clusterFailure }
        do {
            let view = try tools.status(limit: limit)
            clusterView = view
            return view
        } catch {
            clusterFailure = error
            throw error
        }
    }

    /// Forgets the cached view, so the next rule reads the cluster anew.
    func forgetCluster() {
        clusterView = nil
        clusterFailure = nil
    }

    /// A view read anew (not the cached one), which then replaces the cache.
    func freshCluster() throws(ActionFailure) -> ClusterStatus {
        let view = try tools.status()
        clusterView = view
        clusterFailure = nil
        return view
    }

    /// The cluster view, retried every 500 ms while at least half of the action's time is left (so
    /// that what follows – a promotion – still has time to finish): for the actions that must not go
    /// on blind.
    func clusterRetrying() throws(ActionFailure) -> ClusterStatus {
        if let clusterView { return clusterView }
        let total = Duration.milliseconds(context.ocf.timeoutMilliseconds ?? 60_000)
        let keep = max(.seconds(2), total / 2)
        while true {
            do { return try freshCluster() } catch {
                clusterFailure = error
                guard context.deadline.remaining > keep else { throw error }
                logger.warning("\(error.reason); retrying")
                context.deadline.sleep(.milliseconds(500))
            }
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

    /// Whether this node may be the minority of a partition: its partition has no quorum (or it is
    /// unknown). Peers shown offline prove nothing: without fencing a minority sees them offline and clean.
    func partitioned(_ view: ClusterStatus) -> Bool { view.quorum != true }

    func planner(_ view: ClusterStatus) -> AttributePlanner {
        AttributePlanner(names: names, me: me, nodes: view.nodes)
    }

    /// Applies writes and records them in the cached view, so later rules in this action see them.
    ///
    /// A write planned without knowing the stored value (an offline node's) is checked against the
    /// CIB first and dropped when it changes nothing.
    func apply(_ writes: [AttributeWrite?]) throws(ActionFailure) {
        var list: [AttributeWrite] = []
        for w in writes.compactMap({ $0 }) where !isStored(w) { list.append(w) }
        guard !list.isEmpty else { return }
        try attributeCall { () throws(ActionFailure) in try tools.apply(list, retrying: !bestEffortAttributes) }
        for w in list { clusterView?.nodes[w.node]?.record(w.name, w.value) }
    }

    /// Whether the cluster already stores `write`'s value.
    ///
    /// Read with `crm_attribute -G` when the view cannot tell (crm_mon shows no attributes of an
    /// offline node). A failed read counts as "not stored": the write goes ahead, as it did before
    /// the read existed.
    private func isStored(_ write: AttributeWrite) -> Bool {
        guard let view = clusterView, planner(view).needsStoredValue(write) else { return false }
        let stored: String?
        do { stored = try tools.query(write.name, of: write.node, lifetime: write.lifetime) } catch {
            logger.warning("Cannot read \(write.name) of \(write.node) (\(error.reason)); writing it")
            return false
        }
        var known = view
        known.nodes[write.node]?.record(write.name, stored)
        clusterView = known
        return planner(known).isUnchanged(write)
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

    /// The node this instance's promotion score belongs to: this node, or in a bundle with
    /// `container-attribute-target=host` its host (``OCFEnvironment/attributeTarget``).
    var scoreNode: NodeName { context.ocf.attributeTarget ?? me }

    /// This node's promotion score, written only when it changes.
    func setOwnScore(_ score: PromotionScore) throws(ActionFailure) {
        let view = clusterOrSelf()
        guard view.attribute(scoreNode, names.promotionScore) != score.rawValue else { return }
        try attributeCall { () throws(ActionFailure) in
            try tools.setPromotionScore(score, on: scoreNode, retrying: !bestEffortAttributes)
        }
        clusterView?.nodes[scoreNode]?.record(names.promotionScore, score.rawValue)
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

    // MARK: slots

    func slotExists(_ slot: ReplicationSlotName) throws(ActionFailure) -> Bool {
        try value("select count(*) from pg_replication_slots where slot_name = '\(slot.rawValue)'") != "0"
    }

    /// Drops the agent's slots of every node of node_list, this node's included (a standby must not
    /// retain WAL for anyone; a slot named after itself is a leftover of an older version).
    func dropOwnSlots() throws(ActionFailure) {
        guard let base = p.replicationSlotName else { return }
        for slot in base.slots(for: p.nodeList) where try slotExists(slot) {
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
