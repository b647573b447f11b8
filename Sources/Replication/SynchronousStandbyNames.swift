/// The `synchronous_standby_names` the agent manages in `rep_mode.conf`.
///
/// Rendered as the shell agent writes it, so either agent reads the other's file: no names ⇒ `''`,
/// one ⇒ `'"pgn2"'`, several ⇒ `'FIRST 2 ("pgn2", "dr1")'`.
public struct SynchronousStandbyNames: Hashable, Sendable, CustomStringConvertible {
    public let names: [String]

    public init(_ names: [String]) { self.names = names }

    public static let none = SynchronousStandbyNames([])

    /// Parses a setting value (`"a"`, `a, b`, `FIRST 2 ("a", "b")`, `ANY 1 (a)`, `*`, empty): the names
    /// inside the parentheses when there are any, else every name; a double-quoted name may contain
    /// anything, `""` being a quote, as in PostgreSQL's parser of this setting.
    public init(setting: String) {
        enum Token: Equatable {
            case word(String)
            case open, close
        }
        var tokens: [Token] = []
        var scalars = setting.unicodeScalars[...]
        while let scalar = scalars.first {
            switch scalar {
            case " ", "\t", "\n", "\r", ",":
                scalars.removeFirst()
            case "(":
                scalars.removeFirst()
                tokens.append(.open)
            case ")":
                scalars.removeFirst()
                tokens.append(.close)
            case "\"":
                scalars.removeFirst()
                var word = String.UnicodeScalarView()
                while let next = scalars.popFirst() {
                    if next == "\"" {
                        guard scalars.first == "\"" else { break }
                        scalars.removeFirst()
                    }
                    word.append(next)
                }
                tokens.append(.word(String(word)))
            default:
                var word = String.UnicodeScalarView()
                while let next = scalars.first, !" \t\n\r,()\"".unicodeScalars.contains(next) {
                    word.append(next)
                    scalars.removeFirst()
                }
                tokens.append(.word(String(word)))
            }
        }
        if let open = tokens.firstIndex(of: .open) {
            let close = tokens.lastIndex(of: .close).flatMap { $0 > open ? $0 : nil } ?? tokens.endIndex
            tokens = Array(tokens[(open + 1)..<close])
        }
        names = tokens.compactMap {
            guard case .word(let name) = $0, !name.isEmpty else { return nil }
            return name
        }
    }

    /// Parses `rep_mode.conf`: the quoted value of its `synchronous_standby_names` line.
    public init(repModeConf content: String) {
        for line in content.split(separator: "\n") {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            guard trimmed.hasPrefix("synchronous_standby_names") else { continue }
            let value = trimmed.dropFirst("synchronous_standby_names".count)
                .drop(while: { $0 == " " || $0 == "\t" || $0 == "=" })
            guard let literal = ConfigurationLiteral.unquote(value) else { continue }
            self.init(setting: literal.value)
            return
        }
        self = .none
    }

    public func mentions(_ name: String) -> Bool { names.contains(name) }

    /// The setting's value (each name double-quoted, a `"` in it doubled).
    public var setting: String {
        let quoted = names.map { name in "\"" + String(name.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\"" }
        switch names.count {
        case 0: return ""
        case 1: return quoted[0]
        default: return "FIRST \(names.count) (" + quoted.joined(separator: ", ") + ")"
        }
    }

    /// The whole `rep_mode.conf` (the value quoted for the configuration-file lexer).
    public var repModeConf: String { "synchronous_standby_names = \(ConfigurationLiteral.quote(setting))\n" }

    public var description: String { setting.isEmpty ? "''" : setting }

    /// Same members, any order.
    public func sameMembers(as other: SynchronousStandbyNames) -> Bool { names.sorted() == other.names.sorted() }
}
