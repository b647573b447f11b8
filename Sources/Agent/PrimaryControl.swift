import Exec
import OCF
import Postgres
import Replication

/// The primary's control of its standbys (monitor, post-start, post-stop): attributes, scores and,
/// in sync mode, `synchronous_standby_names`, carried out in the order of ``PrimaryControlPlan``.
///
/// After a change of the synchronous standby, or while a synchronous standby has still to catch up,
/// the standbys are looked at again (bounded: 2 s and the deadline), as the shell agent re-controls.
struct PrimaryControl {
    let r: ReplicationContext

    func run() throws(ActionFailure) {
        let first = try controlOnce(catchUpTarget: nil)
        guard first.namesChanged || !first.awaitingCatchUp.isEmpty else { return }
        // The target is the primary's flush position read once every wanted synchronous standby is
        // reported synchronous: every commit acknowledged while it was not lies at or below it.
        var target: LSN? = first.namesChanged ? nil : first.primaryFlush
        for _ in 0..<10 where r.context.deadline.remaining > .seconds(3) {
            r.context.deadline.sleep(.milliseconds(200))
            guard let (rows, primaryFlush) = try? r.replicationRows() else { continue }
            let wanted = r.currentSyncNames().names
            let sync = rows.filter { wanted.contains($0.applicationName) && $0.syncState == .sync }
            guard sync.count == wanted.count else { continue }
            if target == nil { target = primaryFlush }
            if sync.allSatisfy({ StandbyControl.caughtUp($0, target: target) }) { break }
        }
        r.logger.info("re-controlling slave status.")
        _ = try controlOnce(catchUpTarget: target)
    }

    struct Outcome {
        var namesChanged: Bool
        var awaitingCatchUp: [NodeName]
        var primaryFlush: LSN?
    }

    /// One decision, carried out step by step.
    private func controlOnce(catchUpTarget: LSN?) throws(ActionFailure) -> Outcome {
        let rows: [ReplicationRow]
        let primaryFlush: LSN?
        do { (rows, primaryFlush) = try r.replicationRows() } catch {
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
                guard try confirm(writes) else {
                    return Outcome(namesChanged: false, awaitingCatchUp: [], primaryFlush: nil)
                }
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
        return Outcome(
            namesChanged: namesChanged, awaitingCatchUp: decision.awaitingCatchUp, primaryFlush: primaryFlush)
    }

    /// Standbys the cluster already shows as caught-up synchronous standbys.
    private func promotable(in view: ClusterStatus) -> Set<NodeName> {
        Set(
            r.others.filter {
                view.attribute($0, r.names.dataStatus) == DataStatus.streamingSync.description
                    && view.attribute($0, r.names.promotionScore) == PromotionScore.canPromote.rawValue
            })
    }

    /// Reads the cluster anew until it has quorum and shows the writes.
    ///
    /// Bounded: 2 s and the deadline. No quorum: false (the names stay). Writes that do not show up fail the action.
    private func confirm(_ writes: [AttributeWrite]) throws(ActionFailure) -> Bool {
        let deadline = r.context.deadline.capped(at: .seconds(2))
        var missing: [AttributeWrite] = []
        while true {
            let view = try r.freshCluster()
            guard view.quorum == true else {
                r.logger.warning("This partition lost quorum: synchronous_standby_names stays; commits wait")
                return false
            }
            // crm_mon shows no attributes of offline nodes: their writes stand on crm_attribute's success.
            missing = writes.filter { view.isOnline($0.node) && view.attribute($0.node, $0.name) != $0.value }
            if missing.isEmpty { return true }
            if deadline.isExpired { break }
            deadline.sleep(.milliseconds(100))
        }
        throw ActionFailure(
            .genericError,
            "the cluster does not show \(missing.map(\.description).joined(separator: ", ")); the primary stays synchronous"
        )
    }
}
