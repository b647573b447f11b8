import Exec
import Replication

/// Reads settings from `postgresql.conf` text the way the shell agent's `get_pgsql_param` did:
/// an uncommented `name = value` (or `name value`) line; a quoted value is read as the server reads it,
/// a bare one ends at a comment.
/// When a setting appears more than once, the last one wins, as in PostgreSQL.
public struct ConfigFile: Sendable {
    public let text: String

    public init(text: String) {
        self.text = text
    }

    public func value(of name: String) -> String? {
        var found: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = Substring(rawLine).drop { $0 == " " || $0 == "\t" }
            guard line.hasPrefix(name) else { continue }
            var rest = line.dropFirst(name.count)
            guard let next = rest.first, next == " " || next == "\t" || next == "=" else { continue }
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "=" }
            found = ConfigFile.cleanValue(rest)
        }
        return found
    }

    static func cleanValue(_ raw: Substring) -> String {
        // A quoted value is read as the server reads it ('' and backslash escapes); an unclosed
        // one (the server rejects the file) is taken up to the end of the line.
        if raw.first == "'" {
            return ConfigurationLiteral.unquote(raw)?.value ?? String(raw.dropFirst())
        }
        let beforeComment = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(beforeComment).trimmingSpaces
    }
}
