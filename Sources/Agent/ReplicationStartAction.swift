import Exec
import OCF
import Postgres
import Replication

/// `start` in rep_mode sync/async: always as a hot standby of master_ip, never over `PGSQL.lock`.
struct ReplicationStartAction {
    let r: ReplicationContext

    func run() throws(ActionFailure) -> OCFExitCode {
        let p = r.p
        if r.server.isRunning {
            // An operator expects start of a running standby to succeed; a running primary is an error.
            guard try r.isInRecovery() else {
                throw ActionFailure(.genericError, "PostgreSQL is already running as a primary; it cannot start as a standby")
            }
            r.logger.info("PostgreSQL is already running as a standby.")
            try r.setStatus(.aloneStandby)
            return .success
        }
        try r.setStatus(.stopped)
        try r.setOwn(r.names.masterBaseline, nil)
        try r.setOwnScore(.cannotPromote)
        r.removeNotes()
        do {
            try OwnedFile.remove(r.recoveryConfPath, owner: r.context.owner)
            if p.replicationMode == .sync { try r.ensureIncluded(r.repModeConfPath) }
        } catch {
            throw r.fileFailure(error)
        }
        try r.writeSyncNames(.none)
        try r.writeRecoveryConfiguration()
        try r.setOwn(r.names.xlogLocation, nil)
        if TextFile.exists(r.lockPath) {
            throw ActionFailure(.genericError, LockFileRule.refusal(path: r.lockPath))
        }
        _ = try StartAction(context: r.context).run()
        guard try r.isInRecovery() else {
            throw ActionFailure(.genericError, "PostgreSQL started as a primary, not as a standby of \(p.masterIP ?? "")")
        }
        if let names = try r.value("show synchronous_standby_names"), !names.isEmpty {
            throw ActionFailure(.notConfigured, "Invalid synchronous_standby_names is set in postgresql.conf.")
        }
        try r.dropOwnSlots()
        try r.setStatus(.aloneStandby)
        return .success
    }
}
