/// A Pacemaker node name, exactly as the cluster spells it.
///
/// Comparisons are exact: `pg1` never matches `pg10` (the shell agent's `grep` did), and case is kept.
/// Pacemaker would take `PGN1` for `pgn1`, but PostgreSQL's `pg_stat_replication` would not, so
/// instead of comparing without case anywhere, validation requires node_list to spell this node as
/// Pacemaker does. Slot names are the exception: they go through the one normalisation in
/// ``ReplicationSlotName/suffix(for:)``.
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
        guard let words = words(text) else { return nil }
        var seen = Set<NodeName>()
        return words.filter { seen.insert($0).inserted }
    }

    /// The words of a space-separated list, in order, duplicates kept; `nil` if one is not a name.
    public static func words(_ text: String) -> [NodeName]? {
        var names: [NodeName] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            guard let name = NodeName(String(word)) else { return nil }
            names.append(name)
        }
        return names
    }

    /// Whether both name one Pacemaker node.
    ///
    /// Pacemaker compares node names without regard to ASCII case (`strcasecmp`), so `PGN1` and
    /// `pgn1` are one node to it, though not to PostgreSQL's `pg_stat_replication`. The agent itself
    /// compares names exactly; this is for validation and its messages.
    public func sameNodeIgnoringCase(_ other: NodeName) -> Bool {
        func folded(_ name: NodeName) -> [UInt8] {
            name.rawValue.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        }
        return folded(self) == folded(other)
    }
}

extension NodeName {
    /// PostgreSQL keeps an `application_name` of at most NAMEDATALEN − 1 bytes.
    public static let maximumApplicationNameLength = 63

    /// Why this name cannot be a standby's `application_name` (in `primary_conninfo`, matched
    /// against `pg_stat_replication` and written into `synchronous_standby_names`); `nil` if it can.
    ///
    /// PostgreSQL keeps only printable ASCII (bytes 32 to 126) of an application_name, replacing
    /// other bytes, and cuts it to 63 bytes: a name it changes never matches its row, and the standby
    /// stays DISCONNECT. Quotes, backslashes, commas, parentheses and `=` would break the quoting of
    /// `primary_conninfo` and `synchronous_standby_names`.
    public var applicationNameProblem: String? {
        let bytes = rawValue.utf8
        if bytes.contains(where: { !(32...126).contains($0) }) {
            return "has characters other than printable ASCII, which PostgreSQL replaces in an application_name"
        }
        if bytes.count > NodeName.maximumApplicationNameLength {
            return
                "is longer than \(NodeName.maximumApplicationNameLength) bytes, where PostgreSQL cuts an application_name"
        }
        let forbidden: Set<UInt8> = Set("'\"\\,()=".utf8)
        if bytes.contains(where: forbidden.contains) {
            return
                "contains a quote, backslash, comma, parenthesis or '=', which cannot be quoted in synchronous_standby_names"
        }
        return nil
    }
}
