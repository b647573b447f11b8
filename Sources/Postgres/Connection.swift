#if canImport(Glibc)
    import Glibc
#endif
import CLibPQ
public import Exec

/// One libpq connection, used for the few queries an action needs and then closed.
///
/// Every libpq call made here returns within the action's ``Deadline``, even when the server is hung
/// (a postmaster or backend stopped by SIGSTOP accepts connections into its backlog and never answers):
/// - connecting and querying use libpq's non-blocking API with poll(2);
/// - the steps libpq does synchronously while connecting are avoided (``ConnectionParameters``):
///   host names are resolved by ``HostResolver`` in a child bounded by the deadline, and GSSAPI
///   encryption is off unless asked for;
/// - once connected the connection is in non-blocking mode (`PQsetnonblocking`), so neither a send
///   nor `PQfinish`'s Terminate message waits for a full socket buffer to drain;
/// - a query that times out is cancelled with `PQcancel` in a forked child (``ForkedCall``): PQcancel
///   connects to the postmaster and waits for its reply without a timeout (a frozen postmaster holds
///   it until thawed), so the agent keeps a slice of the query's time for it and kills the child when
///   that is spent. (libpq 17's PQcancelStart/PQcancelPoll would need no child; Debian 12 has 15.)
public final class Connection {
    private let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQfinish(handle)
    }

    /// Opens a connection.
    ///
    /// - Parameters:
    ///   - parameters: libpq keywords and values (`host`, `port`, `dbname`, `user`, `password`, …);
    ///     values are passed as data, never spliced into a connection string.
    ///   - osUser: when given and the process is root, the connection is made with this account's
    ///     effective identity, so that `peer` authentication and `~/.pgpass` work as for `psql` run by it.
    /// - Throws: ``PostgresError`` of kind `.connection` or `.timeout`.
    public static func open(
        _ parameters: [(String, String)], as osUser: UserAccount?, until deadline: Deadline
    ) throws(PostgresError) -> Connection {
        let prepared = try ConnectionParameters.prepared(
            parameters, environment: libpqEnvironment,
            resolve: { names throws(PostgresError) in try HostResolver.resolve(names, until: deadline) })
        let run = { () throws(PostgresError) -> Connection in
            try connect(prepared, until: deadline)
        }
        guard let osUser else { return try run() }
        // libpq reads ~/.pgpass and ~/.postgresql of pgdba: never as root (fail closed).
        let outcome = EffectiveUser.strictly(as: osUser) { () -> Result<Connection, PostgresError> in
            do throws(PostgresError) { return .success(try run()) } catch { return .failure(error) }
        }
        guard let outcome else {
            throw PostgresError(.connection, "cannot take the identity of \(osUser.name) to connect")
        }
        return try outcome.get()
    }

    /// The environment variables libpq itself would read for the rule in ``ConnectionParameters``.
    private static var libpqEnvironment: [String: String] {
        var environment: [String: String] = [:]
        for name in ["PGHOST", "PGHOSTADDR", "PGGSSENCMODE"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return environment
    }

    private static func connect(_ parameters: [(String, String)], until deadline: Deadline) throws(PostgresError)
        -> Connection
    {
        let keywords = parameters.map { strdup($0.0) } + [nil]
        let values = parameters.map { strdup($0.1) } + [nil]
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let pointer = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                PQconnectStartParams(k.baseAddress, v.baseAddress, 0)
            }
        }
        guard let pointer else { throw PostgresError(.connection, "out of memory") }
        let connection = Connection(handle: pointer)
        if PQstatus(pointer) == CONNECTION_BAD { throw connection.error(.connection) }

        var state = PGRES_POLLING_WRITING
        while true {
            switch state {
            case PGRES_POLLING_OK:
                guard PQsetnonblocking(pointer, 1) == 0 else { throw connection.error(.connection) }
                return connection
            case PGRES_POLLING_FAILED:
                throw connection.error(.connection)
            case PGRES_POLLING_READING:
                _ = try connection.wait(forReading: true, writing: false, until: deadline)
            default:
                _ = try connection.wait(forReading: false, writing: true, until: deadline)
            }
            state = PQconnectPoll(pointer)
        }
    }

    /// Runs one or more SQL statements and returns the rows of the last result that has rows.
    ///
    /// Each value is the text form, or `nil` for SQL NULL.
    /// - Throws: ``PostgresError`` of kind `.query` (server error), `.connection` or `.timeout`
    ///   (the query is cancelled first, within the same deadline).
    public func query(_ sql: String, until deadline: Deadline) throws(PostgresError) -> [[String?]] {
        // The answer may take the deadline less a slice kept for the cancel request.
        let answerDeadline = deadline.earlier(by: Connection.cancelReserve(deadline))
        guard PQsendQuery(handle, sql) == 1 else { throw error(.connection) }
        var rows: [[String?]] = []
        var failure: PostgresError?
        do throws(PostgresError) {
            // Flush the query; while libpq cannot send everything, it may also have to read.
            while true {
                let flushed = PQflush(handle)
                if flushed == 0 { break }
                guard flushed == 1 else { throw error(.connection) }
                if try wait(forReading: true, writing: true, until: answerDeadline).readable {
                    guard PQconsumeInput(handle) == 1 else { throw error(.connection) }
                }
            }
            while true {
                // Read until libpq has a complete result.
                while PQisBusy(handle) == 1 {
                    _ = try wait(forReading: true, writing: false, until: answerDeadline)
                    guard PQconsumeInput(handle) == 1 else { throw error(.connection) }
                }
                guard let result = PQgetResult(handle) else { break }
                defer { PQclear(result) }
                switch PQresultStatus(result) {
                case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
                    rows = Connection.rows(of: result)
                case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                    break
                default:
                    if failure == nil { failure = Connection.error(of: result) }
                }
            }
        } catch {
            guard error.kind == .timeout else { throw error }
            let cancel = cancel(until: deadline)
            throw PostgresError(.timeout, error.message + (cancel.map { "; \($0)" } ?? ""))
        }
        if let failure { throw failure }
        return rows
    }

    /// The part of a query's time kept for cancelling it: a tenth of what is left, at most 250 ms
    /// (a cancel request to a live postmaster takes about a millisecond).
    static func cancelReserve(_ deadline: Deadline) -> Duration {
        min(.milliseconds(250), deadline.remaining / 10)
    }

    /// The server version as libpq reports it (e.g. 150020).
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Sends the cancel request for the running query, bounded by `deadline`; nil when the server
    /// confirmed it, else why not (for the error message).
    private func cancel(until deadline: Deadline) -> String? {
        guard let token = PQgetCancel(handle) else { return "no cancel request could be made" }
        defer { PQfreeCancel(token) }
        switch ForkedCall.run(pgsql_swift_cancel_body, context: UnsafeMutableRawPointer(token), until: deadline) {
        case .finished(let answer) where answer.hasPrefix("ok"):
            return nil
        case .finished(let answer):
            return "the cancel request failed: " + String(answer.dropFirst(2)).trimmingSpaces
        case .timedOut:
            return "the cancel request was not answered either"
        case .notStarted(let errno):
            return "the cancel request could not be sent: errno \(errno)"
        }
    }

    /// Waits until the socket is readable or writable as asked, bounded by `deadline`.
    private func wait(forReading: Bool, writing: Bool, until deadline: Deadline) throws(PostgresError)
        -> (readable: Bool, writable: Bool)
    {
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw error(.connection) }
        let events = (forReading ? Int32(POLLIN) : 0) | (writing ? Int32(POLLOUT) : 0)
        var entry = pollfd(fd: socket, events: Int16(events), revents: 0)
        while true {
            if deadline.isExpired { throw PostgresError(.timeout, "PostgreSQL did not answer before the action's timeout") }
            let rc = poll(&entry, 1, max(1, deadline.remainingMilliseconds))
            if rc > 0 {
                let failed = Int32(entry.revents) & Int32(POLLERR | POLLHUP | POLLNVAL) != 0
                // An error or hang-up counts as readable: libpq then reads it and reports it.
                return (Int32(entry.revents) & Int32(POLLIN) != 0 || failed, Int32(entry.revents) & Int32(POLLOUT) != 0)
            }
            if rc < 0 && errno != EINTR { throw PostgresError(.connection, "poll failed: errno \(errno)") }
        }
    }

    private func error(_ kind: PostgresError.Kind) -> PostgresError {
        let message = PQerrorMessage(handle).map { String(cString: $0) } ?? "unknown libpq error"
        return PostgresError(kind, message.trimmingSpaces)
    }

    private static func error(of result: OpaquePointer) -> PostgresError {
        let message = PQresultErrorMessage(result).map { String(cString: $0) } ?? "unknown error"
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        return PostgresError(.query, message.trimmingSpaces, sqlState: state)
    }

    private static func rows(of result: OpaquePointer) -> [[String?]] {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [String?] = []
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    values.append(PQgetvalue(result, row, column).map { String(cString: $0) } ?? "")
                }
            }
            rows.append(values)
        }
        return rows
    }
}
