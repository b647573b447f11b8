import Exec

/// A PostgreSQL major version as written in `PG_VERSION` ("15", "9.6").
public struct PostgresVersion: Comparable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int = 0) {
        self.major = major
        self.minor = minor
    }

    public init?(_ text: String) {
        let parts = text.trimmingSpaces.split(separator: ".")
        guard (1...2).contains(parts.count), let major = Int(parts[0]), major > 0 else { return nil }
        let minor = parts.count == 2 ? Int(parts[1]) : 0
        guard let minor else { return nil }
        self.init(major: major, minor: minor)
    }

    /// Reads `<pgdata>/PG_VERSION`; `nil` when missing, malformed or not a regular file (a FIFO there
    /// must not block the agent: see ``TextFile``).
    public static func ofDataDirectory(_ pgdata: String) -> PostgresVersion? {
        TextFile.read(pgdata + "/PG_VERSION").flatMap { PostgresVersion($0) }
    }

    public var description: String { major >= 10 ? "\(major)" : "\(major).\(minor)" }

    public static func < (lhs: PostgresVersion, rhs: PostgresVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
