import Exec
import OCF
import Postgres
import Replication

/// `promote` in rep_mode sync/async.
struct PromoteAction {
    let r: ReplicationContext

    func run() throws(ActionFailure) -> OCFExitCode {
        let inRecovery: Bool
        do { inRecovery = try r.isInRecovery() } catch {
            throw ActionFailure(.genericError, "Can't get PostgreSQL recovery status on promote: \(error.reason)")
        }
        guard inRecovery else {
            r.logger.info("PostgreSQL is already Master. Don't execute promote.")
            return .success
        }
        r.removeNotes()
        // The other nodes are marked unpromotable before this one's data moves ahead of theirs: a
        // promote that cannot see them fails (Pacemaker retries it) instead of going on blind.
        let view: ClusterStatus
        do { view = try r.clusterRetrying() } catch {
            throw ActionFailure(
                .genericError, "Can't promote: the other nodes cannot be marked DISCONNECT (\(error.reason))")
        }
        let planner = r.planner(view)
        var writes: [AttributeWrite?] = []
        for node in r.others {
            writes.append(planner.dataStatus(node, .disconnect))
            writes.append(planner.otherScore(node, .cannotPromote))
        }
        try r.apply(writes)

        r.logger.info("Creating \(r.lockPath).")
        do { try OwnedFile.touch(r.lockPath, owner: r.context.owner) } catch { throw r.fileFailure(error) }
        try r.setOwn(r.names.masterBaseline, try r.myLocation().attribute)

        if r.p.restartOnPromote {
            try restartAsPrimary()
        } else {
            try promoteInPlace()
        }
        do { try r.createSlots() } catch {
            throw ActionFailure(.genericError, "PostgreSQL can't create replication_slot: \(error.reason)")
        }
        try r.setDataStatus(.latest)
        try r.setOwnScore(.promoteMe)
        try r.setStatus(.primary)
        return .success
    }

    private func promoteInPlace() throws(ActionFailure) {
        let result: CommandResult
        do { result = try r.context.pgCtl.promote(until: r.context.deadline) } catch {
            throw ActionFailure(.genericError, "Can't promote PostgreSQL: \(error)")
        }
        guard result.succeeded else {
            throw ActionFailure(.genericError, "Can't promote PostgreSQL: \(result.combinedOutput)")
        }
        r.logger.info("PostgreSQL promote command sent.")
        while true {
            if !r.server.isRunning {
                throw ActionFailure(.genericError, "Can't promote PostgreSQL: the server exited")
            }
            if let still = try? r.isInRecovery(), !still { break }
            if r.context.deadline.isExpired {
                throw ActionFailure(.genericError, "Can't promote PostgreSQL: still in recovery at the promote timeout")
            }
            r.logger.debug("PostgreSQL still hasn't promoted yet. Waiting...")
            r.context.deadline.sleep(.milliseconds(100))
        }
        r.logger.info("PostgreSQL is promoted.")
    }

    private func restartAsPrimary() throws(ActionFailure) {
        r.logger.info("Restarting PostgreSQL instead of promote.")
        r.closeConnection()
        _ = try StopAction(context: r.context).run(escalateAfter: r.p.stopEscalateInSlave)
        do {
            try OwnedFile.remove(r.usesStandbySignal ? r.standbySignalPath : r.recoveryConfPath, owner: r.context.owner)
        } catch {
            throw r.fileFailure(error)
        }
        do throws(ActionFailure) {
            _ = try StartAction(context: r.context).run()
            guard try !r.isInRecovery() else {
                throw ActionFailure(.genericError, "it started as a standby")
            }
        } catch {
            try? r.setStatus(.stopped)
            throw ActionFailure(.genericError, "Can't start PostgreSQL as primary on promote. (\(error.reason))")
        }
    }
}
