public import Exec

/// The `pg_ctl` invocations the agent makes, as argv arrays, run as the data directory's owner.
public struct PgCtl {
    public enum ShutdownMode: String, Sendable {
        case smart, fast, immediate
    }

    public var executable: String
    public var dataDirectory: String
    public var owner: UserAccount
    public var environment: [String: String]
    public var runner: any CommandRunner

    public init(
        executable: String, dataDirectory: String, owner: UserAccount, environment: [String: String],
        runner: any CommandRunner
    ) {
        self.executable = executable
        self.dataDirectory = dataDirectory
        self.owner = owner
        self.environment = environment
        self.runner = runner
    }

    /// `pg_ctl [ctl_opt…] -D <pgdata> -l <logfile> -o <server options> -w -t <seconds> start`.
    ///
    /// Waiting (`-w`) lets pg_ctl, which knows the postmaster's pid, report at once when the server
    /// exits during start-up instead of leaving the agent to poll until the timeout.
    public func startArguments(extraOptions: [String], logFile: String, serverOptions: String, waitSeconds: Int) -> [String] {
        extraOptions + [
            "-D", dataDirectory, "-l", logFile, "-o", serverOptions, "-w", "-t", String(max(1, waitSeconds)), "start",
        ]
    }

    public func start(
        extraOptions: [String], logFile: String, serverOptions: String, until deadline: Deadline
    ) throws(CommandError) -> CommandResult {
        let seconds = Int(deadline.remaining.components.seconds)
        return try run(
            startArguments(extraOptions: extraOptions, logFile: logFile, serverOptions: serverOptions, waitSeconds: seconds),
            until: deadline)
    }

    /// `pg_ctl -W -D <pgdata> stop -m <mode>`: asks for the shutdown without waiting for it.
    public func stopArguments(_ mode: ShutdownMode) -> [String] {
        ["-W", "-D", dataDirectory, "stop", "-m", mode.rawValue]
    }

    public func stop(_ mode: ShutdownMode, until deadline: Deadline) throws(CommandError) -> CommandResult {
        try run(stopArguments(mode), until: deadline)
    }

    /// `pg_ctl -D <pgdata> -W promote`: asks a standby to leave recovery (the agent polls for it).
    public func promote(until deadline: Deadline) throws(CommandError) -> CommandResult {
        try run(["-D", dataDirectory, "-W", "promote"], until: deadline)
    }

    func run(_ arguments: [String], until deadline: Deadline) throws(CommandError) -> CommandResult {
        try runner.run(
            Command(executable, arguments, environment: environment, workingDirectory: dataDirectory, user: owner),
            until: deadline)
    }
}
