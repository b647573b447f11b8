import Exec
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A throw-away PostgreSQL 15 cluster: `initdb` as `postgres` in a temporary directory, with its own
/// port and socket directory, peer authentication on the socket and SCRAM on loopback TCP.
final class TestCluster {
    static let binDirectory = "/usr/lib/postgresql/15/bin"
    static var isAvailable: Bool {
        geteuid() == 0 && ExecutableLookup.isExecutableFile(binDirectory + "/initdb")
            && UserAccount.named("postgres") != nil
    }

    let root: String
    let port: Int
    let owner: UserAccount
    var dataDirectory: String { root + "/data" }
    var socketDirectory: String { root + "/run" }
    var logFile: String { root + "/postgresql.log" }
    var config: String { dataDirectory + "/postgresql.conf" }

    init() throws {
        owner = try UserAccount.named("postgres").unwrap("no postgres account")
        var template = Array("/tmp/pgsql-swift-it-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw TestFailure("mkdtemp failed") }
        root = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        chmod(root, 0o755)
        chown(root, owner.uid, owner.gid)
        port = TestCluster.freePort()
        try runAsOwner(
            TestCluster.binDirectory + "/initdb",
            ["-D", dataDirectory, "--auth-local=peer", "--auth-host=scram-sha-256", "--no-sync", "-U", "postgres"])
        try appendConfig("""
            port = \(port)
            unix_socket_directories = '\(socketDirectory)'
            listen_addresses = '127.0.0.1'
            fsync = off
            """)
    }

    deinit {
        let postmasters: [Int32]
        switch ServerProcess.state(dataDirectory: dataDirectory) {
        case .running(let pidFile): postmasters = [pidFile.pid]
        case .unreadablePidFile(_, let found): postmasters = found ?? []
        case .notRunning, .stalePidFile: postmasters = []
        }
        for pid in postmasters {
            kill(pid, SIGQUIT)
            for _ in 0..<50 where ServerProcess.isAlive(pid) { usleep(100_000) }
            kill(pid, SIGKILL)
        }
        _ = try? ProcessRunner().run(Command("/bin/rm", ["-rf", root]), until: Deadline(after: .seconds(30)))
    }

    func appendConfig(_ text: String) throws {
        let fd = open(config, O_WRONLY | O_APPEND)
        guard fd >= 0 else { throw TestFailure("cannot open \(config)") }
        defer { close(fd) }
        _ = Array(("\n" + text + "\n").utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    @discardableResult
    func runAsOwner(_ executable: String, _ arguments: [String]) throws -> CommandResult {
        let result = try ProcessRunner().run(
            Command(executable, arguments, environment: ["PATH": "/usr/bin:/bin"], workingDirectory: root, user: owner),
            until: Deadline(after: .seconds(60)))
        guard result.succeeded else {
            throw TestFailure("\(executable) \(arguments) failed: \(result.combinedOutput)")
        }
        return result
    }

    /// Runs SQL as the superuser over the socket (peer authentication as `postgres`).
    @discardableResult
    func sql(_ statement: String) throws -> [[String?]] {
        let connection = try Connection.open(
            [("host", socketDirectory), ("port", String(port)), ("dbname", "postgres"), ("user", "postgres")],
            as: owner, until: Deadline(after: .seconds(10)))
        return try connection.query(statement, until: Deadline(after: .seconds(10)))
    }

    /// Starts the server with the agent binary and returns the postmaster's pid.
    func startWithAgent() throws -> Int32 {
        let start = try AgentBinary.run("start", agentEnvironment)
        #expect(start.code == 0, "\(start.stderr)")
        guard case .running(let pidFile) = ServerProcess.state(dataDirectory: dataDirectory) else {
            throw TestFailure("no running postmaster after start: \(start.stderr)")
        }
        return pidFile.pid
    }

    /// The agent's parameters for this cluster.
    var agentEnvironment: [String: String] {
        [
            "OCF_ROOT": "/usr/lib/ocf",
            "OCF_RESOURCE_INSTANCE": "pgsql",
            "OCF_RESKEY_pgctl": TestCluster.binDirectory + "/pg_ctl",
            "OCF_RESKEY_pgdata": dataDirectory,
            "OCF_RESKEY_socketdir": socketDirectory,
            "OCF_RESKEY_pgport": String(port),
            "OCF_RESKEY_logfile": logFile,
            "OCF_RESKEY_CRM_meta_timeout": "30000",
            "OCF_RESKEY_CRM_meta_interval": "10000",
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        ]
    }

    private static let portCounter = PortCounter()

    static func freePort() -> Int {
        portCounter.next()
    }
}

/// Hands out ports above 40000, spread by pid so that concurrent runs do not collide.
final class PortCounter: @unchecked Sendable {
    private var value = 40000 + Int(getpid() % 500) * 20
    private var lock = pthread_mutex_t()

    init() { pthread_mutex_init(&lock, nil) }

    func next() -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        value += 1
        return value
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Optional {
    func unwrap(_ message: String) throws -> Wrapped {
        guard let value = self else { throw TestFailure(message) }
        return value
    }
}
