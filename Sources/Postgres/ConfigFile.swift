import Exec

/// Reads settings from `postgresql.conf` text the way the shell agent's `get_pgsql_param` did:
/// an uncommented `name = value` (or `name value`) line; quotes and trailing comments removed.
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
        if raw.first == "'" {
            // A quoted value ends at the closing quote ('' is an escaped quote).
            var value = ""
            var index = raw.index(after: raw.startIndex)
            while index < raw.endIndex {
                let c = raw[index]
                let next = raw.index(after: index)
                if c == "'" {
                    if next < raw.endIndex && raw[next] == "'" {
                        value.append("'")
                        index = raw.index(after: next)
                        continue
                    }
                    break
                }
                value.append(c)
                index = next
            }
            return value
        }
        let beforeComment = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(beforeComment).trimmingSpaces
    }
}
