#if canImport(Glibc)
    import Glibc
#endif
import Exec
public import OCF
import Postgres

/// `start` in plain mode: prepare the files the server needs, run `pg_ctl start`, and wait until
/// `monitor_sql` answers.
///
/// Unlike the shell agent it never deletes `postmaster.pid` of a live postmaster (which could let a
/// second postmaster onto the same data directory), and it fails at once, quoting the server log,
/// when the postmaster exits during start-up.
public struct StartAction {
    let context: AgentContext

    public init(context: AgentContext) {
        self.context = context
    }

    public func run() throws(ActionFailure) -> OCFExitCode {
        let p = context.parameters
        switch ServerProcess.state(dataDirectory: p.pgdata) {
        case .running(let pidFile):
            context.logger.info("PostgreSQL is already running. PID=\(pidFile.pid)")
            try waitUntilAnswering(postmaster: pidFile.pid)
            return .success
        case .stalePidFile:
            waitUntilReaped()
            context.logger.info("Removing the stale \(p.pgdata)/postmaster.pid")
            unlink(p.pgdata + "/postmaster.pid")
        case .unreadablePidFile(let reason, _):
            let advice = "remove it once no postmaster runs for \(p.pgdata)"
            throw ActionFailure(
                .genericError, "\(p.pgdata)/postmaster.pid \(reason); not starting PostgreSQL (\(advice))")
        case .notRunning:
            break
        }
        try removeStaleBackupLabel()
        try FilePreparation(context: context).prepareForStart()

        let result: CommandResult
        do {
            result = try context.pgCtl.start(
                extraOptions: p.ctlOptions, logFile: p.logfile, serverOptions: serverOptions, until: context.deadline)
        } catch {
            throw ActionFailure(.genericError, "Can't start PostgreSQL: \(describe(error))")
        }
        guard case .running(let pidFile) = ServerProcess.state(dataDirectory: p.pgdata) else {
            throw ActionFailure(.genericError, "Can't start PostgreSQL: \(failureDetail(result))")
        }
        if !result.succeeded {
            context.logger.warning("pg_ctl start: \(result.combinedOutput); the postmaster is alive, waiting for it")
        }
        try waitUntilAnswering(postmaster: pidFile.pid)
        context.logger.info("PostgreSQL is started.")
        return .success
    }

    /// The `-o` string pg_ctl hands to the server: config_file, pghost and start_opt.
    var serverOptions: String {
        let p = context.parameters
        var options = "-c config_file=\(ShellWords.quote(p.config))"
        if let host = p.pghost { options += " -h \(ShellWords.quote(host))" }
        if !p.startOptions.isEmpty { options += " " + p.startOptions }
        return options
    }

    /// A killed postmaster that its parent has not reaped yet still answers `kill -0`, and a new
    /// postmaster refuses to start while the old one's socket lock names a live pid: wait for the
    /// reaping (bounded: 10 s and the deadline).
    private func waitUntilReaped() {
        guard let text = TextFile.read(context.parameters.pgdata + "/postmaster.pid"),
            let old = PostmasterPidFile(contents: text), ServerProcess.isZombie(old.pid)
        else { return }
        context.logger.info("The previous postmaster (PID \(old.pid)) has exited but is not reaped yet; waiting for it")
        let deadline = context.deadline.capped(at: .seconds(10))
        while ServerProcess.isZombie(old.pid) && !deadline.isExpired { deadline.sleep(.milliseconds(50)) }
    }

    private func waitUntilAnswering(postmaster pid: Int32) throws(ActionFailure) {
        var lastError = "no answer yet"
        while true {
            // Each attempt gets at most 5 s so that a slow attempt cannot eat the whole deadline.
            do {
                let limit = context.deadline.capped(at: .seconds(5))
                _ = try context.monitorSQL.check(context, until: limit, receiver: false)
                return
            } catch {
                lastError = error.message
            }
            guard ServerProcess.isAlive(pid) else {
                throw ActionFailure(.genericError, "PostgreSQL exited during start-up: \(logTail() ?? lastError)")
            }
            if context.deadline.isExpired {
                throw ActionFailure(
                    .genericError, "PostgreSQL did not answer monitor_sql before the start timeout: \(lastError)")
            }
            context.logger.debug("PostgreSQL still hasn't started yet. Waiting...")
            context.deadline.sleep(.milliseconds(200))
        }
    }

    /// PostgreSQL 15 dropped exclusive backups, so a `backup_label` there belongs to a restored base
    /// backup and must stay; older servers may have one left by an interrupted exclusive backup, which
    /// the shell agent removed before starting.
    private func removeStaleBackupLabel() throws(ActionFailure) {
        let path = context.parameters.pgdata + "/backup_label"
        guard TextFile.exists(path) else { return }
        if let version = PostgresVersion.ofDataDirectory(context.parameters.pgdata), version.major < 15 {
            context.logger.info("Removing \(path). The previous backup might have failed.")
            unlink(path)
        } else {
            context.logger.info("Keeping \(path): PostgreSQL 15 and later need it to recover a restored base backup.")
        }
    }

    private func failureDetail(_ result: CommandResult) -> String {
        if let tail = logTail() { return tail }
        let output = result.combinedOutput
        return output.isEmpty ? "pg_ctl ended with \(result.termination)" : output
    }

    /// The last lines of the server log, joined on one line, when `logfile` is a regular file.
    ///
    /// Read with pgdba's identity, which writes it: a link there cannot make root read another file
    /// into the exit reason.
    private func logTail() -> String? {
        let path = context.parameters.logfile
        let lines =
            EffectiveUser.strictly(as: context.owner) { TextFile.tail(path, maxLines: 5, followLinks: true) } ?? []
        guard !lines.isEmpty else { return nil }
        let joined = lines.joined(separator: " | ")
        return joined.count > 600 ? String(joined.suffix(600)) : joined
    }

    private func describe(_ error: PgCtl.Failure) -> String {
        switch error {
        case .unsafeFile(let message): message
        case .command(.launchFailed(let executable, let code)): "cannot run \(executable) (errno \(code))"
        case .command(.timedOut(let executable)): "\(executable) did not finish before the start timeout"
        }
    }
}
