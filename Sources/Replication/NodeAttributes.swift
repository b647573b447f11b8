/// One node's attributes as the cluster reports them, and whether the node is a member / online.
public struct NodeAttributes: Hashable, Sendable {
    public var online: Bool
    public var values: [String: String]

    public init(online: Bool, values: [String: String] = [:]) {
        self.online = online
        self.values = values
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
    public func dataStatus(_ node: NodeName, _ status: DataStatus) -> AttributeWrite? {
        guard nodes[node] != nil, current(node, names.dataStatus) != status.description else { return nil }
        return AttributeWrite(node: node, name: names.dataStatus, value: status.description, lifetime: .forever)
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
