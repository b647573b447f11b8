public import Replication

/// What one `crm_mon --output-as=xml -A` (Pacemaker ≥ 2.0.3; `--as-xml` before) says about the
/// cluster: member nodes and whether they are online, the attributes (transient and permanent) of
/// every online node (crm_mon lists none for an offline node: its ``NodeAttributes/knownNames`` is
/// empty), and the role of each instance of one resource. Parsed structurally, never grepped.
public struct ClusterStatus: Sendable {
    public var nodes: [NodeName: NodeAttributes] = [:]
    /// Node → role of the resource's instance there (`Promoted`, `Unpromoted`, `Started`, ...);
    /// the legacy `Master`/`Slave` are reported as `Promoted`/`Unpromoted`.
    public var roles: [NodeName: InstanceRole] = [:]
    /// Nodes the cluster has lost without knowing their state (`unclean="true"`: not yet fenced).
    public var unclean: Set<NodeName> = []
    /// Whether this node's partition has quorum (`<current_dc with_quorum=…>`); `nil` when crm_mon
    /// did not say (no DC elected yet, or a view that knows only this node).
    public var quorum: Bool?

    public init(
        nodes: [NodeName: NodeAttributes] = [:], roles: [NodeName: InstanceRole] = [:], quorum: Bool? = nil,
        unclean: Set<NodeName> = []
    ) {
        self.nodes = nodes
        self.roles = roles
        self.quorum = quorum
        self.unclean = unclean
    }

    /// Nodes where the resource runs promoted.
    public var promotedNodes: [NodeName] { roles.filter { $0.value == .promoted }.map(\.key).sorted() }

    public func isOnline(_ node: NodeName) -> Bool { nodes[node]?.online ?? false }

    public func attribute(_ node: NodeName, _ name: String) -> String? { nodes[node]?.values[name] }

    /// Parses crm_mon's XML for the resource `resource` (the primitive id; clone instances `id:N` too).
    public static func parse(_ xml: String, resource: String) throws(ActionFailure) -> ClusterStatus {
        var scanner = XMLElementScanner(xml)
        var status = ClusterStatus()
        var stack: [String] = []
        var attributeNode: NodeName?
        var resourceRole: InstanceRole?
        var dc: NodeName?
        var listed: Set<NodeName> = []
        var sawRoot = false
        do {
            while let event = try scanner.next() {
                switch event {
                case .start(let name, let attributes, let selfClosing):
                    if stack.isEmpty {
                        guard name == "pacemaker-result" || name == "crm_mon" else {
                            throw ActionFailure(.genericError, "crm_mon printed <\(name)>, not a status document")
                        }
                        sawRoot = true
                    }
                    let parent = stack.last
                    let section = stack.count >= 2 ? stack[1] : nil
                    switch (name, parent, section) {
                    case ("current_dc", "summary", _):
                        // No DC (an election after a membership change): nothing is decided, no quorum.
                        status.quorum =
                            attributes["present"] == "true" ? attributes["with_quorum"].map { $0 == "true" } : false
                        dc = attributes["name"].flatMap(NodeName.init)
                    case ("node", "nodes", _):
                        if let n = attributes["name"].flatMap(NodeName.init) {
                            status.nodes[n, default: NodeAttributes(online: false)].online = attributes["online"] == "true"
                            if attributes["unclean"] == "true" { status.unclean.insert(n) }
                        }
                    case ("node", "node_attributes", _):
                        attributeNode = attributes["name"].flatMap(NodeName.init)
                        if let n = attributeNode {
                            listed.insert(n)
                            if status.nodes[n] == nil { status.nodes[n] = NodeAttributes(online: false) }
                        }
                    case ("attribute", "node", "node_attributes"):
                        if let n = attributeNode, let key = attributes["name"], let value = attributes["value"] {
                            status.nodes[n]?.values[key] = value
                        }
                    case ("resource", _, "resources"):
                        let id = attributes["id"] ?? ""
                        if id == resource || id.hasPrefix(resource + ":") {
                            resourceRole = InstanceRole(attributes["role"] ?? "")
                        } else {
                            resourceRole = nil
                        }
                    case ("node", "resource", "resources"):
                        if let role = resourceRole, let n = attributes["name"].flatMap(NodeName.init) {
                            status.roles[n] = role
                        }
                    default:
                        break
                    }
                    if !selfClosing { stack.append(name) }
                case .end(let name):
                    guard stack.last == name else {
                        throw ActionFailure(.genericError, "crm_mon printed malformed XML (</\(name)>)")
                    }
                    stack.removeLast()
                    if name == "resource" { resourceRole = nil }
                    if name == "node" && stack.last == "node_attributes" { attributeNode = nil }
                }
            }
        } catch let error as XMLElementScanner.Malformed {
            throw ActionFailure(.genericError, "crm_mon printed malformed XML (at byte \(error.offset))")
        } catch let failure as ActionFailure {
            throw failure
        } catch {
            throw ActionFailure(.genericError, "crm_mon output could not be read")
        }
        guard sawRoot, stack.isEmpty else { throw ActionFailure(.genericError, "crm_mon printed incomplete XML") }
        // A DC that is not online is a leftover of a partition whose election has not finished:
        // its quorum flag is stale.
        if let dc, status.nodes[dc]?.online == false { status.quorum = nil }
        // crm_mon lists the attributes of online nodes only: an offline node's are unknown, not absent.
        for (name, info) in status.nodes where !info.online && !listed.contains(name) {
            status.nodes[name]?.knownNames = []
        }
        return status
    }
}
