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
    /// The one normalisation of a node name for slot names.
    ///
    /// ASCII letters lower-cased, `-` and `.` turned into `_` (the shell agent's names, so slots
    /// survive a switch of agents). Slots are compared and matched to nodes only through it: `PGN1`
    /// and `pgn1` own the same slot.
    public static func suffix(for node: NodeName) -> String {
        var suffix = ""
        for scalar in node.rawValue.unicodeScalars {
            switch scalar {
            case "-", ".": suffix.append("_")
            case "A"..."Z": suffix.unicodeScalars.append(Unicode.Scalar(UInt8(truncatingIfNeeded: scalar.value + 0x20)))
            default: suffix.unicodeScalars.append(scalar)
            }
        }
        return suffix
    }

    /// The slot on the primary for one standby: `<name>_<suffix(for: node)>`.
    public func slot(for node: NodeName) -> ReplicationSlotName? {
        ReplicationSlotName(rawValue + "_" + Self.suffix(for: node))
    }

    /// The slots of every node of `node_list`, each once (what a standby drops at start: it keeps
    /// no WAL for anyone, and a slot named after itself can only be a leftover).
    public func slots(for nodeList: [NodeName]) -> [ReplicationSlotName] {
        var slots: [ReplicationSlotName] = []
        for node in nodeList {
            if let slot = slot(for: node), !slots.contains(slot) { slots.append(slot) }
        }
        return slots
    }

    /// The slots a primary keeps: one per other node of `node_list`.
    ///
    /// "Other" is decided after the normalisation, so a primary never keeps a slot for itself (whose
    /// WAL would pile up until the disk is full) when node_list and Pacemaker spell its name
    /// differently.
    public func slots(on primary: NodeName, nodeList: [NodeName]) -> [ReplicationSlotName] {
        let own = slot(for: primary)
        return slots(for: nodeList).filter { $0 != own }
    }
}
