/// The `synchronous_standby_names` the agent manages in `rep_mode.conf`.
///
/// Rendered as the shell agent writes it, so either agent reads the other's file: no names ⇒ `''`,
/// one ⇒ `'"pgn2"'`, several ⇒ `'FIRST 2 ("pgn2", "dr1")'`.
public struct SynchronousStandbyNames: Hashable, Sendable, CustomStringConvertible {
    public let names: [String]

    public init(_ names: [String]) { self.names = names }

    public static let none = SynchronousStandbyNames([])

    /// Parses a setting value (`"a"`, `a, b`, `FIRST 2 ("a", "b")`, `ANY 1 (a)`, `*`, empty).
    public init(setting: String) {
        var text = Substring(setting)
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            text = text[text.index(after: open)..<close]
        }
        names = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
            .map { word -> String in String(word.filter { $0 != "\"" }) }
            .filter { !$0.isEmpty }
    }

    /// Parses `rep_mode.conf`: the quoted value of its `synchronous_standby_names` line.
    public init(repModeConf content: String) {
        for line in content.split(separator: "\n") {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            guard trimmed.hasPrefix("synchronous_standby_names"),
                let first = trimmed.firstIndex(of: "'"), let last = trimmed.lastIndex(of: "'"), first < last
            else { continue }
            self.init(setting: String(trimmed[trimmed.index(after: first)..<last]))
            return
        }
        self = .none
    }

    public func mentions(_ name: String) -> Bool { names.contains(name) }

    /// The value inside the quotes.
    public var setting: String {
        switch names.count {
        case 0: ""
        case 1: "\"\(names[0])\""
        default: "FIRST \(names.count) (" + names.map { "\"\($0)\"" }.joined(separator: ", ") + ")"
        }
    }

    /// The whole `rep_mode.conf`.
    public var repModeConf: String { "synchronous_standby_names = '\(setting)'\n" }

    public var description: String { setting.isEmpty ? "''" : setting }

    /// Same members, any order.
    public func sameMembers(as other: SynchronousStandbyNames) -> Bool { names.sorted() == other.names.sorted() }
}
