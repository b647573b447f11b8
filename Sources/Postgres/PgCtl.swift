#if canImport(Glibc)
    import Glibc
#endif
public import Exec

/// The `pg_ctl` invocations the agent makes, as argv arrays, run as the data directory's owner.
///
/// `pg_ctl` opens `PG_VERSION` and `postmaster.pid` itself, following links, without `O_NONBLOCK`: a
/// FIFO at either blocks it until the deadline kills it. So every call first checks that each is
/// missing or a regular file (not a link) and refuses to run otherwise (``Failure/unsafeFile(_:)``).
public struct PgCtl {
    public enum ShutdownMode: String, Sendable {
        case smart, fast, immediate

        /// The signal `pg_ctl stop -m <mode>` sends to the postmaster.
        public var signal: Int32 {
            switch self {
            case .smart: SIGTERM
            case .fast: SIGINT
            case .immediate: SIGQUIT
            }
        }
    }

    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// A file pg_ctl would open is not a regular file; the message names it.
        case unsafeFile(String)
        case command(CommandError)

        public var description: String {
            switch self {
            case .unsafeFile(let message): message
            case .command(.launchFailed(let executable, let code)): "cannot run \(executable) (errno \(code))"
            case .command(.timedOut(let executable)): "\(executable) did not finish before the deadline"
            }
        }
    }

    /// The files of the data directory pg_ctl opens.
    public static let openedFiles = ["PG_VERSION", "postmaster.pid"]

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
    ) throws(Failure) -> CommandResult {
        let seconds = Int(deadline.remaining.components.seconds)
        return try run(
            startArguments(extraOptions: extraOptions, logFile: logFile, serverOptions: serverOptions, waitSeconds: seconds),
            until: deadline)
    }

    /// `pg_ctl -W -D <pgdata> stop -m <mode>`: asks for the shutdown without waiting for it.
    public func stopArguments(_ mode: ShutdownMode) -> [String] {
        ["-W", "-D", dataDirectory, "stop", "-m", mode.rawValue]
    }

    public func stop(_ mode: ShutdownMode, until deadline: Deadline) throws(Failure) -> CommandResult {
        try run(stopArguments(mode), until: deadline)
    }

    /// `pg_ctl -D <pgdata> -W promote`: asks a standby to leave recovery (the agent polls for it).
    public func promote(until deadline: Deadline) throws(Failure) -> CommandResult {
        try run(["-D", dataDirectory, "-W", "promote"], until: deadline)
    }

    /// Why pg_ctl must not be run on this data directory now, or `nil`.
    public func unsafeFile() -> String? {
        for name in PgCtl.openedFiles {
            let path = dataDirectory + "/" + name
            if let kind = FileKind.of(path), kind != .regular {
                return "\(path) is \(kind), not a regular file; pg_ctl would block on it or follow it"
            }
        }
        return nil
    }

    func run(_ arguments: [String], until deadline: Deadline) throws(Failure) -> CommandResult {
        if let problem = unsafeFile() { throw .unsafeFile(problem) }
        do {
            return try runner.run(
                Command(executable, arguments, environment: environment, workingDirectory: dataDirectory, user: owner),
                until: deadline)
        } catch {
            throw .command(error)
        }
    }
}
