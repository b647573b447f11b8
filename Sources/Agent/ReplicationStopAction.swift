import Exec
import OCF
import Postgres
import Replication

/// `stop` in rep_mode sync/async, and `demote` (which stops PostgreSQL, as the shell agent's does:
/// recovery procedures rely on it).
struct ReplicationStopAction {
    let r: ReplicationContext

    func stop() throws(ActionFailure) -> OCFExitCode {
        try r.setOwnScore(.cannotPromote)
        try r.setOwn(r.names.xlogLocation, nil)
        guard case .running = ServerProcess.state(dataDirectory: r.p.pgdata) else {
            r.logger.info("PostgreSQL is already stopped.")
            try r.setStatus(.stopped)
            return .success
        }
        try stopServer(escalateAfter: r.p.stopEscalateInSlave)
        try r.setStatus(.stopped)
        try r.setAsyncModeAll()
        try r.setOwn(r.names.masterBaseline, nil)
        return .success
    }

    func demote() throws(ActionFailure) -> OCFExitCode {
        try r.setOwnScore(.cannotPromote)
        try r.setOwn(r.names.masterBaseline, nil)
        if case .running = ServerProcess.state(dataDirectory: r.p.pgdata) {
            r.logger.info("Stopping PostgreSQL on demote.")
            try stopServer(escalateAfter: r.p.stopEscalate)
            // Pacemaker's notify lists (also passed to the demote itself when notify=true); a
            // malformed list counts as unknown, and the lock stays.
            let env = r.context.environment
            if LockFileRule.removeOnDemote(
                unpromoted: try? NotifyEvent.list(.unpromoted, in: env), stopping: try? NotifyEvent.list(.stop, in: env))
            {
                r.logger.info("Removing \(r.lockPath).")
                do { try OwnedFile.remove(r.lockPath) } catch { throw r.fileFailure(error) }
            }
        } else {
            r.logger.info("PostgreSQL is already stopped on demote.")
        }
        try r.setStatus(.stopped)
        return .success
    }

    private func stopServer(escalateAfter seconds: Int) throws(ActionFailure) {
        r.closeConnection()
        do {
            _ = try StopAction(context: r.context).run(escalateAfter: seconds)
        } catch {
            try? r.setStatus(.unknown)
            throw error
        }
    }
}
