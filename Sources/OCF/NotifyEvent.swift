public import Replication

/// A parsed `notify` action: its type, the operation it is about, and the node lists Pacemaker passes.
///
/// Lists are space-separated and an empty list is a single space. Pacemaker 2.1+ passes
/// `promoted`/`unpromoted`; the legacy `master`/`slave` copies are read when the new names are absent.
public struct NotifyEvent: Equatable, Sendable {
    public enum Kind: String, Sendable { case pre, post }
    public enum Operation: String, Sendable { case start, stop, promote, demote }

    /// The roles Pacemaker reports node lists for.
    public enum Role: String, CaseIterable, Sendable {
        case start, stop, promote, demote, active, promoted, unpromoted, available, all

        /// The deprecated variable name Pacemaker still emits for the same list, if any.
        var legacyName: String? {
            switch self {
            case .promoted: "master"
            case .unpromoted: "slave"
            default: nil
            }
        }
    }

    public var kind: Kind
    public var operation: Operation
    public var nodes: [Role: [NodeName]]

    public init(kind: Kind, operation: Operation, nodes: [Role: [NodeName]]) {
        self.kind = kind
        self.operation = operation
        self.nodes = nodes
    }

    /// The nodes listed for a role (empty when Pacemaker passed none).
    public func nodes(_ role: Role) -> [NodeName] { nodes[role] ?? [] }

    /// Reads the notify variables.
    ///
    /// - Returns: `nil` when the environment carries no notification (e.g. `crm_resource --force-*`).
    /// - Throws: ``ActionFailure`` (invalid argument) for an unknown type or operation, or a node list
    ///   that is not a list of names.
    public static func parse(_ env: [String: String]) throws(ActionFailure) -> NotifyEvent? {
        let prefix = "OCF_RESKEY_CRM_meta_notify_"
        guard let typeText = env[prefix + "type"], let operationText = env[prefix + "operation"] else {
            return nil
        }
        guard let kind = Kind(rawValue: typeText) else {
            throw ActionFailure(.invalidArgument, "Unknown notification type '\(typeText)'")
        }
        guard let operation = Operation(rawValue: operationText) else {
            throw ActionFailure(.invalidArgument, "Unknown notification operation '\(operationText)'")
        }
        var nodes: [Role: [NodeName]] = [:]
        for role in Role.allCases {
            if let names = try list(role, in: env) { nodes[role] = names }
        }
        return NotifyEvent(kind: kind, operation: operation, nodes: nodes)
    }

    /// One node list (`OCF_RESKEY_CRM_meta_notify_<role>_uname`, or its legacy name). Pacemaker passes
    /// the lists to the promote/demote actions themselves too when the clone has `notify=true`.
    ///
    /// - Returns: `nil` when the variable is absent.
    /// - Throws: ``ActionFailure`` (invalid argument) when it is not a list of node names.
    public static func list(_ role: Role, in env: [String: String]) throws(ActionFailure) -> [NodeName]? {
        let prefix = "OCF_RESKEY_CRM_meta_notify_"
        let key = prefix + role.rawValue + "_uname"
        guard let text = env[key] ?? role.legacyName.flatMap({ env[prefix + $0 + "_uname"] }) else { return nil }
        guard let names = NodeName.list(text) else {
            throw ActionFailure(.invalidArgument, "Malformed node list in \(key): '\(text)'")
        }
        return names
    }
}
