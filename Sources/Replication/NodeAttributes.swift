/// One node's attributes as the cluster reports them, and whether the node is a member / online.
public struct NodeAttributes: Hashable, Sendable {
    public var online: Bool
    public var values: [String: String]
    /// The attributes `values` speaks for.
    ///
    /// `nil` for all of them (a missing name has no value), or only these names (a missing name's
    /// value is unknown). crm_mon lists no attributes of an offline node, so its view of one knows
    /// none until the agent reads some from the CIB.
    public var knownNames: Set<String>?

    public init(online: Bool, values: [String: String] = [:], knownNames: Set<String>? = nil) {
        self.online = online
        self.values = values
        self.knownNames = knownNames
    }

    /// Whether `values[name]` is the stored value (`nil` meaning none), not merely unknown.
    public func knows(_ name: String) -> Bool { knownNames?.contains(name) ?? true }

    /// Records a value read or written (`nil`: no value).
    public mutating func record(_ name: String, _ value: String?) {
        values[name] = value
        knownNames?.insert(name)
    }
}

/// A node attribute write (`crm_attribute`), planned by the pure rules and carried out by the agent.
public struct AttributeWrite: Hashable, Sendable, CustomStringConvertible {
    public enum Lifetime: String, Sendable { case reboot, forever }

    public var node: NodeName
    public var name: String
    /// `nil` deletes the attribute.
    public var value: String?
    public var lifetime: Lifetime

    public init(node: NodeName, name: String, value: String?, lifetime: Lifetime) {
        self.node = node
        self.name = name
        self.value = value
        self.lifetime = lifetime
    }

    public var description: String { "\(name)[\(node)] = \(value ?? "<deleted>") (\(lifetime.rawValue))" }
}

/// Read-before-write rules: an attribute is written only when it changes, and only where the shell
/// agent would write it, so both agents leave the same table.
public struct AttributePlanner: Sendable {
    public let names: ResourceAttributes
    public let me: NodeName
    public let nodes: [NodeName: NodeAttributes]

    public init(names: ResourceAttributes, me: NodeName, nodes: [NodeName: NodeAttributes]) {
        self.names = names
        self.me = me
        self.nodes = nodes
    }

    private func current(_ node: NodeName, _ name: String) -> String? { nodes[node]?.values[name] }

    /// `<rsc>-status`: online nodes only; another node's STOP/UNKNOWN is never overwritten.
    public func status(_ node: NodeName, _ status: PgsqlStatus) -> AttributeWrite? {
        guard let info = nodes[node], info.online else { return nil }
        let now = info.values[names.status]
        guard now != status.rawValue else { return nil }
        if node != me, let now, let old = PgsqlStatus(rawValue: now), old.isOwnedByItsNode { return nil }
        return AttributeWrite(node: node, name: names.status, value: status.rawValue, lifetime: .reboot)
    }

    /// `<rsc>-data-status` (forever): any cluster member, online or not.
    ///
    /// An offline node's value is not in crm_mon's view: the write is planned, and
    /// ``needsStoredValue(_:)`` tells the agent to read the stored value before carrying it out.
    public func dataStatus(_ node: NodeName, _ status: DataStatus) -> AttributeWrite? {
        guard nodes[node] != nil, current(node, names.dataStatus) != status.description else { return nil }
        return AttributeWrite(node: node, name: names.dataStatus, value: status.description, lifetime: .forever)
    }

    /// Whether `write` was planned without knowing the stored value, so the agent must read it first.
    ///
    /// The node's attributes are not in the view when it is offline. Unknown is not "no value":
    /// writing blindly would rewrite an offline node's data status on every primary monitor.
    public func needsStoredValue(_ write: AttributeWrite) -> Bool {
        guard let info = nodes[write.node] else { return false }
        return !info.knows(write.name)
    }

    /// Whether `write` would store what the node already has (as far as the view knows).
    public func isUnchanged(_ write: AttributeWrite) -> Bool {
        guard let info = nodes[write.node], info.knows(write.name) else { return false }
        return info.values[write.name] == write.value
    }

    /// Another node's promotion score: only an existing, different score of an online node changes
    /// (a missing score belongs to Pacemaker's view of a stopped instance).
    public func otherScore(_ node: NodeName, _ score: PromotionScore) -> AttributeWrite? {
        guard let info = nodes[node], info.online, let now = info.values[names.promotionScore],
            now != score.rawValue
        else { return nil }
        return AttributeWrite(node: node, name: names.promotionScore, value: score.rawValue, lifetime: .reboot)
    }

    /// A transient attribute of this node (xlog location, master baseline); `nil` value deletes.
    public func own(_ name: String, _ value: String?) -> AttributeWrite? {
        guard current(me, name) != value else { return nil }
        return AttributeWrite(node: me, name: name, value: value, lifetime: .reboot)
    }

    /// Every write the primary's standby decision needs.
    public func writes(for decision: StandbyControl.Decision) -> [AttributeWrite] {
        var out: [AttributeWrite] = []
        for verdict in decision.standbys {
            if let w = dataStatus(verdict.node, verdict.dataStatus) { out.append(w) }
            if let w = otherScore(verdict.node, verdict.score) { out.append(w) }
            if let s = verdict.status, let w = status(verdict.node, s) { out.append(w) }
        }
        return out
    }
}
