/// A Pacemaker node name, exactly as the cluster spells it.
///
/// Comparisons are exact: `pg1` never matches `pg10` (the shell agent's `grep` did), and case is kept.
/// Where PostgreSQL needs a name (`application_name`, slot names) the one normalisation lives in
/// the replication rules, not here.
public struct NodeName: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts a non-empty name without white space or control characters.
    public init?(_ rawValue: String) {
        guard !rawValue.isEmpty,
            !rawValue.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F })
        else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: NodeName, rhs: NodeName) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Splits a space-separated list as Pacemaker and the `node_list` parameter write them.
    ///
    /// - Returns: the names in order without duplicates; `nil` if a word is not a valid name.
    public static func list(_ text: String) -> [NodeName]? {
        var seen = Set<NodeName>()
        var names: [NodeName] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            guard let name = NodeName(String(word)) else { return nil }
            if seen.insert(name).inserted { names.append(name) }
        }
        return names
    }
}
