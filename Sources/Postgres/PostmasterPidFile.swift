import Exec

/// The contents of `postmaster.pid`: the postmaster's pid, data directory, port, socket directory
/// and (PostgreSQL 10+) its status line (`starting`, `stopping`, `ready`, `standby`).
public struct PostmasterPidFile: Equatable, Sendable {
    public var pid: Int32
    public var dataDirectory: String?
    public var port: Int?
    public var socketDirectory: String?
    public var status: String?

    public init(pid: Int32, dataDirectory: String? = nil, port: Int? = nil, socketDirectory: String? = nil, status: String? = nil) {
        self.pid = pid
        self.dataDirectory = dataDirectory
        self.port = port
        self.socketDirectory = socketDirectory
        self.status = status
    }

    /// Parses the file; `nil` when the first line is not a positive pid (an empty or half-written file).
    public init?(contents: String) {
        let lines = contents.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).trimmingSpaces
        }
        guard let first = lines.first, let pid = Int32(first), pid > 0 else { return nil }
        func line(_ n: Int) -> String? { n < lines.count && !lines[n].isEmpty ? lines[n] : nil }
        self.init(
            pid: pid,
            dataDirectory: line(1),
            port: line(3).flatMap { Int($0) },
            socketDirectory: line(4),
            status: line(7)
        )
    }
}
