public import Exec
public import OCF
import Postgres
import Replication

/// The agent's entry point: protocol order, validation, dispatch, and the one place where failures
/// become exit codes and exit reasons.
public enum Agent {
    /// Runs one OCF action.
    ///
    /// - Parameters:
    ///   - arguments: the command line without the program name (exactly one action).
    ///   - environment: the process environment.
    ///   - interactive: whether standard input is a terminal (logs then go to stderr, as `ocf_log` does).
    /// - Returns: the OCF exit code.
    public static func run(
        arguments: [String], environment: [String: String], interactive: Bool = false,
        runner: any CommandRunner = ProcessRunner()
    ) -> OCFExitCode {
        let logger = OCFLogger(
            configuration: LogConfiguration(agentName: AgentMetaData.agentName, env: environment, interactive: interactive))
        if let password = environment["OCF_RESKEY_monitor_password"] { logger.addSecret(password) }
        let prefix = environment["OCF_EXIT_REASON_PREFIX"].flatMap { $0.isEmpty ? nil : $0 } ?? "ocf-exit-reason:"

        guard arguments.count == 1, let action = OCFAction(rawValue: arguments[0]) else {
            StandardStreams.writeError(usage)
            let reason = arguments.isEmpty ? "No action given" : "Unsupported action '\(arguments.joined(separator: " "))'"
            logger.exitReason(reason, prefix: prefix)
            return .unimplemented
        }
        switch action {
        case .metaData:
            StandardStreams.writeOut(AgentMetaData.document.xml)
            return .success
        case .methods:
            StandardStreams.writeOut(OCFAction.allCases.map(\.rawValue).joined(separator: "\n") + "\n")
            return .success
        default:
            break
        }

        do {
            return try perform(action, environment: environment, logger: logger, runner: runner)
        } catch {
            logger.exitReason(error.reason, prefix: prefix)
            return error.code
        }
    }

    static let usage = """
        usage: pgsql-swift {start|stop|status|monitor|promote|demote|notify|meta-data|validate-all|methods}

        pgsql-swift manages a PostgreSQL server as a Pacemaker resource (a drop-in for ocf:heartbeat:pgsql).

        """

    private static func perform(
        _ action: OCFAction, environment: [String: String], logger: OCFLogger, runner: any CommandRunner
    ) throws(ActionFailure) -> OCFExitCode {
        let ocf = try OCFEnvironment(environment)
        let timeoutMilliseconds = ocf.timeoutMilliseconds ?? AgentMetaData.defaultTimeoutSeconds(for: action) * 1000
        let deadline = Deadline(after: safeBudget(milliseconds: timeoutMilliseconds))
        let isProbe = action == .monitor && ocf.isProbeInterval
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"

        // Validation, and what each action makes of a failure.
        let parameters: AgentParameters
        let owner: UserAccount
        do {
            parameters = try AgentParameters(environment)
            owner = try Validation.level0(parameters)
            if action != .validateAll || ocf.checkLevel >= 10 {
                try Validation.level10(
                    parameters, ocf: ocf, owner: owner, isProbe: isProbe, stopping: action == .stop,
                    searchPath: searchPath, logger: logger)
            }
            if [.start, .promote, .notify, .monitor, .status].contains(action) {
                try Validation.membership(parameters, me: LocalNode.name(ocf))
            }
        } catch {
            return try failedValidation(error, action: action, environment: environment, logger: logger)
        }
        if action == .validateAll { return .success }
        try Validation.checkPrivilege(owner: owner)

        let context = AgentContext(
            action: action, environment: environment, ocf: ocf, parameters: parameters, logger: logger,
            runner: runner, deadline: deadline, owner: owner)
        return try dispatch(context)
    }

    private static func dispatch(_ context: AgentContext) throws(ActionFailure) -> OCFExitCode {
        let mode = context.parameters.replicationMode
        switch (context.action, mode) {
        case (.status, _):
            return try MonitorAction(context: context).status()
        case (.monitor, .none):
            return try MonitorAction(context: context).monitor()
        case (.start, .none):
            return try StartAction(context: context).run()
        case (.stop, .none), (.stop, .slave):
            let code = try StopAction(context: context).run(escalateAfter: context.parameters.stopEscalate)
            if context.parameters.checkWALReceiver { WALReceiverReport(context: context).withdrawLoggingFailure() }
            return code
        case (.notify, .none), (.notify, .slave):
            return .success
        case (.promote, .none), (.demote, .none), (.promote, .slave), (.demote, .slave):
            throw ActionFailure(.unimplemented, "\(context.action.rawValue) is not supported with rep_mode=\(mode.rawValue)")
        case (.monitor, .slave):
            return try MonitorAction(context: context).monitor()
        case (.start, .slave):
            let r = try ReplicationContext(context: context)
            try r.ensureTmpdir()
            if case .running = ServerProcess.state(dataDirectory: context.parameters.pgdata) {} else {
                try r.writeRecoveryConfiguration()
            }
            return try StartAction(context: context).run()
        case (_, .sync), (_, .async):
            let r = try ReplicationContext(context: context)
            do { try r.ensureTmpdir() } catch {
                // Stop and demote must stop PostgreSQL whatever tmpdir is (a failed stop means
                // fencing): they go on without its files (rep_mode.conf, the lock) and say why.
                guard context.action == .stop || context.action == .demote else { throw error }
                context.logger.error("\(error.reason); stopping PostgreSQL without touching tmpdir")
                r.tmpdirUsable = false
            }
            switch context.action {
            case .start: return try ReplicationStartAction(r: r).run()
            case .stop: return try ReplicationStopAction(r: r).stop()
            case .monitor: return try ReplicationMonitorAction(r: r).run()
            case .promote: return try PromoteAction(r: r).run()
            case .demote: return try ReplicationStopAction(r: r).demote()
            case .notify: return try ReplicationNotifyAction(r: r).run()
            case .status, .metaData, .methods, .validateAll: return .success
            }
        case (.metaData, _), (.methods, _), (.validateAll, _):
            return .success
        }
    }

    /// What a validation failure means for each action.
    ///
    /// A stop or a monitor must tell the truth about the instance even when the configuration is
    /// broken: if no postmaster runs for `pgdata`, stop succeeds and monitor reports "not running"
    /// (a probe on a node without PostgreSQL installed is not an error). Otherwise the failure stands.
    private static func failedValidation(
        _ failure: ActionFailure, action: OCFAction, environment: [String: String], logger: OCFLogger
    ) throws(ActionFailure) -> OCFExitCode {
        switch action {
        case .stop, .monitor, .status:
            if InstanceLiveness.isRunning(environment: environment) { throw failure }
            logger.info("Validation failed (\(failure.reason)), and PostgreSQL is not running.")
            return action == .stop ? .success : .notRunning
        default:
            throw failure
        }
    }

    /// The action's time budget: its timeout less a margin to report back to Pacemaker in time.
    static func safeBudget(milliseconds: Int) -> Duration {
        let margin = min(2000, milliseconds / 10)
        return .milliseconds(max(0, milliseconds - margin))
    }
}
