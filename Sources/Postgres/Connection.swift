#if canImport(Glibc)
    import Glibc
#endif
import CLibPQ
public import Exec

/// One libpq connection, used for the few queries an action needs and then closed.
///
/// Connecting and querying use libpq's non-blocking API with poll(2), so both are bounded by the
/// action's ``Deadline`` even when the server is hung (a stopped postmaster does not answer).
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
        let run = { () throws(PostgresError) -> Connection in
            try connect(parameters, until: deadline)
        }
        guard let osUser else { return try run() }
        do {
            return try EffectiveUser.run(as: osUser) { try run() }
        } catch let error as PostgresError {
            throw error
        } catch {
            throw PostgresError(.connection, "\(error)")
        }
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
                return connection
            case PGRES_POLLING_FAILED:
                throw connection.error(.connection)
            case PGRES_POLLING_READING:
                try connection.wait(forReading: true, until: deadline)
            default:
                try connection.wait(forReading: false, until: deadline)
            }
            state = PQconnectPoll(pointer)
        }
    }

    /// Runs one or more SQL statements and returns the rows of the last result that has rows.
    ///
    /// Each value is the text form, or `nil` for SQL NULL.
    /// - Throws: ``PostgresError`` of kind `.query` (server error), `.connection` or `.timeout`
    ///   (the query is cancelled first).
    public func query(_ sql: String, until deadline: Deadline) throws(PostgresError) -> [[String?]] {
        guard PQsendQuery(handle, sql) == 1 else { throw error(.connection) }
        var rows: [[String?]] = []
        var failure: PostgresError?
        do throws(PostgresError) {
            while true {
                // Flush the query, then read until libpq has a complete result.
                while PQflush(handle) == 1 { try wait(forReading: false, until: deadline) }
                while PQisBusy(handle) == 1 {
                    try wait(forReading: true, until: deadline)
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
            if error.kind == .timeout { cancel() }
            throw error
        }
        if let failure { throw failure }
        return rows
    }

    /// The server version as libpq reports it (e.g. 150020).
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    private func cancel() {
        guard let token = PQgetCancel(handle) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(token, &buffer, Int32(buffer.count))
        PQfreeCancel(token)
    }

    private func wait(forReading: Bool, until deadline: Deadline) throws(PostgresError) {
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw error(.connection) }
        var entry = pollfd(fd: socket, events: Int16(forReading ? POLLIN : POLLOUT), revents: 0)
        while true {
            if deadline.isExpired { throw PostgresError(.timeout, "PostgreSQL did not answer before the action's timeout") }
            let rc = poll(&entry, 1, max(1, deadline.remainingMilliseconds))
            if rc > 0 { return }
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
