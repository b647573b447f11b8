import Exec
import OCF
import Postgres
import Replication

/// `stop` in rep_mode sync/async, and `demote` (which stops PostgreSQL, as the shell agent's does:
/// recovery procedures rely on it).
///
/// Both stop PostgreSQL first and write the attributes afterwards, best effort: a hung or failing
/// attribute daemon costs at most one `crm_attr_timeout` and a warning, never a failed stop (which
/// Pacemaker answers with fencing). The end state of the attributes is the shell agent's.
struct ReplicationStopAction {
    let r: ReplicationContext

    func stop() throws(ActionFailure) -> OCFExitCode {
        let wasRunning: Bool
        if r.server.isRunning {
            wasRunning = true
            try stopServer(
                escalateAfter: PartitionStop.escalation(
                    configured: r.p.stopEscalateInSlave, partitioned: viewBeforeStop().map(r.partitioned) ?? false))
        } else {
            wasRunning = false
            r.logger.info("PostgreSQL is already stopped.")
        }
        r.bestEffortAttributes = true
        try r.setOwnScore(.cannotPromote)
        try r.withdrawReceiverStatus()
        try r.setOwn(r.names.xlogLocation, nil)
        try r.setStatus(.stopped)
        guard wasRunning else { return .success }
        // PostgreSQL is down: rep_mode.conf is tidied best effort, it must not fail the stop.
        if r.tmpdirUsable {
            do { try r.setAsyncModeAll() } catch { r.logger.warning("\(error.reason); rep_mode.conf left as it is") }
        }
        try r.setOwn(r.names.masterBaseline, nil)
        return .success
    }

    func demote() throws(ActionFailure) -> OCFExitCode {
        if r.server.isRunning {
            r.logger.info("Stopping PostgreSQL on demote.")
            let before = viewBeforeStop()
            try stopServer(
                escalateAfter: PartitionStop.escalation(
                    configured: r.p.stopEscalate, partitioned: before.map(r.partitioned) ?? false))
            // Pacemaker's notify lists (also passed to the demote itself when notify=true); a
            // malformed list counts as unknown, and the lock stays. So it does when the cluster
            // cannot be read: this node may be cut off.
            let env = r.context.environment
            let after = try? r.cluster(limit: .seconds(2))
            if r.tmpdirUsable,
                LockFileRule.removeOnDemote(
                unpromoted: try? NotifyEvent.list(.unpromoted, in: env), stopping: try? NotifyEvent.list(.stop, in: env),
                partitioned: after.map(r.partitioned) ?? true)
            {
                r.logger.info("Removing \(r.lockPath).")
                // PostgreSQL is down: a lock that cannot be removed stays (the safe side), the demote succeeds.
                do { try OwnedFile.remove(r.lockPath, owner: r.context.owner) } catch {
                    r.logger.warning("\(r.fileFailure(error).reason); \(r.lockPath) stays")
                }
            }
        } else {
            r.logger.info("PostgreSQL is already stopped on demote.")
        }
        r.bestEffortAttributes = true
        try r.setOwnScore(.cannotPromote)
        try r.withdrawReceiverStatus()
        try r.setOwn(r.names.masterBaseline, nil)
        try r.setStatus(.stopped)
        return .success
    }

    /// The cluster as it is before PostgreSQL stops (bounded: 2 s, so that a hung CIB delays the
    /// stop little), then forgotten: the attribute writes after the stop read it anew.
    private func viewBeforeStop() -> ClusterStatus? {
        defer { r.forgetCluster() }
        do { return try r.cluster(limit: .seconds(2)) } catch {
            r.logger.warning("Cannot read the cluster status before stopping (\(error.reason))")
            return nil
        }
    }

    private func stopServer(escalateAfter seconds: Int) throws(ActionFailure) {
        r.closeConnection()
        do {
            _ = try StopAction(context: r.context).run(escalateAfter: seconds)
        } catch {
            r.bestEffortAttributes = true
            try? r.setStatus(.unknown)
            throw error
        }
    }
}
