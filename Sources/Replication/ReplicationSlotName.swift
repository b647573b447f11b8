/// The `replication_slot_name` parameter: lower-case letters, digits and underscores only, at most
/// 63 bytes (PostgreSQL's NAMEDATALEN − 1).
public struct ReplicationSlotName: Hashable, Sendable, CustomStringConvertible {
    public static let maximumLength = 63
    public let rawValue: String

    public init?(_ rawValue: String) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= ReplicationSlotName.maximumLength,
            rawValue.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
}

extension ReplicationSlotName {
    /// The slot on the primary for one standby: `<name>_<node>`, the node lower-cased with `-` and
    /// `.` turned into `_` (the shell agent's names, so slots survive a switch of agents).
    public func slot(for node: NodeName) -> ReplicationSlotName? {
        var suffix = ""
        for ch in node.rawValue.lowercased() {
            suffix.append(ch == "-" || ch == "." ? "_" : ch)
        }
        return ReplicationSlotName(rawValue + "_" + suffix)
    }

    /// The slots a primary keeps: one per other node of `node_list`.
    public func slots(on primary: NodeName, nodeList: [NodeName]) -> [ReplicationSlotName] {
        nodeList.filter { $0 != primary }.compactMap { slot(for: $0) }
    }
}
