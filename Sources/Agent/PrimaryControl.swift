import Exec
import OCF
import Postgres
import Replication

/// The primary's control of its standbys (monitor, post-start, post-stop): attributes, scores and,
/// in sync mode, `synchronous_standby_names`, carried out in the order of ``PrimaryControlPlan``.
///
/// After a change of the synchronous standby, or while a synchronous standby has still to catch up,
/// the standbys are looked at again (bounded by the deadline), as the shell agent re-controls.
struct PrimaryControl {
    let r: ReplicationContext
    /// How long after a reload the catch-up target may be read. Commits wait for a synchronous
    /// standby only once the checkpointer has taken the reload (`sync_standbys_defined`), which it
    /// may delay while it syncs a checkpoint's files; the standby's own `sync` state shows earlier.
    var settle: Duration = .seconds(5)

    func run() throws(ActionFailure) {
        let first = try controlOnce(catchUpTarget: nil)
        guard first.namesChanged || !first.awaitingCatchUp.isEmpty else { return }
        var target: LSN?
        // Bounded as the shell agent's re-control (2 s); a reload younger than `settle` gives no
        // target in this monitor: a later one reads it.
        let wait = r.context.deadline.capped(at: .seconds(2))
        while wait.remaining > .zero && r.context.deadline.remaining > .seconds(3) {
            r.context.deadline.sleep(.milliseconds(200))
            guard let (rows, primaryFlush, _) = try? r.replicationRows() else { continue }
            let wanted = r.currentSyncNames().names
            let sync = rows.filter { wanted.contains($0.applicationName) && $0.syncState == .sync }
            guard sync.count == wanted.count else { continue }
            // Every commit acknowledged while a standby was not waited for lies at or below the
            // primary's flush position read once the reload has settled.
            guard let age = r.syncNamesAge(), age >= settle else { break }
            if target == nil { target = primaryFlush }
            if sync.allSatisfy({ StandbyControl.caughtUp($0, target: target) }) { break }
        }
        r.logger.info("re-controlling slave status.")
        _ = try controlOnce(catchUpTarget: target)
    }

    struct Outcome {
        var namesChanged: Bool
        var awaitingCatchUp: [NodeName]
    }

    /// One decision, carried out step by step.
    private func controlOnce(catchUpTarget: LSN?) throws(ActionFailure) -> Outcome {
        let rows: [ReplicationRow]
        let setting: SynchronousStandbyNames?
        do { (rows, _, setting) = try r.replicationRows() } catch {
            throw ActionFailure(.genericError, "Can't get PostgreSQL replication status: \(error.reason)")
        }
        // A killed postmaster's walsenders exit at once while this session's backend lives on: rows
        // read after the postmaster died show every standby gone, and acting on them would mark the
        // standby that must take over DISCONNECT / -INFINITY. Rows read while it was alive are real.
        guard r.server.isRunning else {
            throw ActionFailure(.genericError, "PostgreSQL went down while its standbys were looked at")
        }
        for name in rows.map(\.applicationName)
        where !r.p.nodeList.contains(where: { $0.rawValue == name })
            && !r.p.externalStandbyNodeList.contains(where: { $0.rawValue == name })
        {
            r.logger.debug("\(name) streams from this primary but is not in node_list; ignored")
        }
        let view = r.clusterOrSelf()
        let current = r.currentSyncNames()
        // rep_mode.conf written but not taken by the server (a reload that failed): reload again.
        if r.mode == .sync, let setting, !setting.sameMembers(as: current) {
            r.logger.warning("The server runs with synchronous_standby_names \(setting), not \(current); reloading")
            try r.server.reload()
        }
        let decision = StandbyControl.decide(
            StandbyControl.Input(
                primary: r.me, nodeList: r.p.nodeList, mode: r.mode,
                externalStandbys: r.p.externalStandbyNodeList.map(\.rawValue), rows: rows,
                synchronousStandbyNames: current, promotable: promotable(in: view), catchUpTarget: catchUpTarget))
        let steps = PrimaryControlPlan.steps(
            PrimaryControlPlan.Input(
                names: r.names, writes: r.planner(view).writes(for: decision), current: current,
                next: decision.synchronousStandbyNames, quorum: view.quorum))
        var namesChanged = false
        for step in steps {
            switch step {
            case .write(let writes):
                try r.apply(writes)
            case .confirm(let writes):
                guard confirm(writes) else { return Outcome(namesChanged: false, awaitingCatchUp: []) }
            case .synchronousStandbyNames(let names):
                r.logger.info("Setup synchronous_standby_names = \(names)")
                try r.writeSyncNames(names)
                try r.server.reload()
                namesChanged = !names.names.isEmpty
            case .keepSynchronousWithoutQuorum(let names):
                r.logger.warning(
                    "This partition has no quorum: synchronous_standby_names stays \(current) instead of \(names);"
                        + " commits wait")
            }
        }
        return Outcome(namesChanged: namesChanged, awaitingCatchUp: decision.awaitingCatchUp)
    }

    /// Standbys the cluster already shows as caught-up synchronous standbys.
    private func promotable(in view: ClusterStatus) -> Set<NodeName> {
        Set(
            r.others.filter {
                view.attribute($0, r.names.dataStatus) == DataStatus.streamingSync.description
                    && view.attribute($0, r.names.promotionScore) == PromotionScore.canPromote.rawValue
            })
    }

    /// Reads the cluster anew until it has quorum – in the CIB and in the controller's membership
    /// (`crm_node -q`) – and shows the writes.
    ///
    /// Bounded: 2 s and the deadline. On any doubt the names stay (commits keep waiting) and the
    /// monitor succeeds: the next monitor plans again from what the cluster then shows.
    private func confirm(_ writes: [AttributeWrite]) -> Bool {
        let deadline = r.context.deadline.capped(at: .seconds(2))
        var doubt = ""
        while true {
            do {
                let view = try r.freshCluster()
                let membership = try r.tools.partitionHasQuorum(limit: .seconds(2))
                // crm_mon shows no attributes of offline nodes: their writes stand on crm_attribute's success.
                let missing = writes.filter { view.isOnline($0.node) && view.attribute($0.node, $0.name) != $0.value }
                if view.quorum == true && membership && missing.isEmpty { return true }
                doubt =
                    view.quorum != true || !membership
                    ? "this partition has no quorum"
                    : "the cluster does not show \(missing.map(\.description).joined(separator: ", ")) yet"
            } catch {
                doubt = error.reason
            }
            if deadline.isExpired { break }
            deadline.sleep(.milliseconds(100))
        }
        r.logger.warning("synchronous_standby_names stays as it is, commits wait: \(doubt)")
        return false
    }
}
