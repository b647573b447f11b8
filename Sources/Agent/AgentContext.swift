public import Exec
public import OCF
import Postgres

/// Everything an action needs: the parsed environment and parameters, the log, the process runner,
/// the data directory's owner and the action's deadline.
public final class AgentContext {
    public let action: OCFAction
    public let environment: [String: String]
    public let ocf: OCFEnvironment
    public let parameters: AgentParameters
    public let logger: OCFLogger
    public let runner: any CommandRunner
    public let deadline: Deadline
    /// The `pgdba` account (checked by validation before any action uses it).
    public let owner: UserAccount
    /// How `monitor_sql` is run (start, plain monitor): libpq; unit tests put a stand-in here.
    var monitorSQL: any MonitorSQL = LibpqMonitorSQL()

    public init(
        action: OCFAction, environment: [String: String], ocf: OCFEnvironment, parameters: AgentParameters,
        logger: OCFLogger, runner: any CommandRunner, deadline: Deadline, owner: UserAccount
    ) {
        self.action = action
        self.environment = environment
        self.ocf = ocf
        self.parameters = parameters
        self.logger = logger
        self.runner = runner
        self.deadline = deadline
        self.owner = owner
    }

    /// Whether this is a probe: a `monitor` with interval 0.
    public var isProbe: Bool { action == .monitor && ocf.isProbeInterval }

    /// The environment of the Pacemaker tools the agent runs: ``ChildEnvironment`` (no
    /// `OCF_RESKEY_*`, no `PGPASSWORD`).
    public var toolEnvironment: [String: String] { ChildEnvironment.inherited(from: environment) }

    /// The environment of the PostgreSQL programs the agent runs, like `su pgdba` gave the shell agent:
    /// ``ChildEnvironment`` (no `OCF_RESKEY_*` value, where the monitor password lives, no `PGUSER`
    /// or `PGPASSWORD`); the owner's HOME/USER/LOGNAME/SHELL; `PGPORT`; and `pglibs` on
    /// `LD_LIBRARY_PATH`.
    public var childEnvironment: [String: String] {
        var env = ChildEnvironment.inherited(from: environment)
        env["HOME"] = owner.home
        env["USER"] = owner.name
        env["LOGNAME"] = owner.name
        env["SHELL"] = owner.shell
        env["PGPORT"] = String(parameters.pgport)
        if env["PATH"] == nil { env["PATH"] = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" }
        let libraries = env["LD_LIBRARY_PATH"].flatMap { $0.isEmpty ? nil : $0 }
        env["LD_LIBRARY_PATH"] = libraries.map { "\($0):\(parameters.pglibs)" } ?? parameters.pglibs
        return env
    }

    public var pgCtl: PgCtl {
        PgCtl(
            executable: resolvedPgCtl, dataDirectory: parameters.pgdata, owner: owner, environment: childEnvironment,
            runner: runner)
    }

    /// `pgctl` as an absolute path (validation has checked that it resolves).
    public var resolvedPgCtl: String {
        ExecutableLookup.resolve(parameters.pgctl, searchPath: environment["PATH"] ?? "/usr/bin:/bin")
            ?? parameters.pgctl
    }
}
