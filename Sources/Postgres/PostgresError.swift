/// A failure talking to PostgreSQL, with libpq's own message.
public struct PostgresError: Error, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The connection could not be made (server down, authentication, bad parameters).
        case connection
        /// The server answered with an error.
        case query
        /// The deadline passed first.
        case timeout
    }

    public var kind: Kind
    public var message: String
    /// The five-character SQLSTATE of a server error, when there is one.
    public var sqlState: String?

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
    }
}
