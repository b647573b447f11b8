import Exec
import OCF
import Replication

/// The Pacemaker command-line tools the replication mode uses, each run as an argv array and
/// bounded: `crm_mon` once per action for the whole cluster view, `crm_attribute` only for writes
/// (each within `crm_attr_timeout` and the action's deadline, retried while time remains).
struct ClusterTools {
    let context: AgentContext

    private var searchPath: String { context.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin" }

    private func tool(_ name: String) -> String {
        let sbin = context.environment["HA_SBIN_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/sbin"
        return ExecutableLookup.resolve(sbin + "/" + name, searchPath: searchPath)
            ?? ExecutableLookup.resolve(name, searchPath: searchPath) ?? sbin + "/" + name
    }

    /// Feature set 3.1.0 and older (Pacemaker < 2.0.3) only knew `--as-xml`.
    private var xmlOption: String {
        guard let set = context.ocf.crmFeatureSet, !set.isEmpty else { return "--output-as=xml" }
        return FeatureSet(set) > FeatureSet("3.1.0") ? "--output-as=xml" : "--as-xml"
    }

    /// Promotion scores by `crm_attribute --promotion` need feature set 3.10.0 (Pacemaker 2.1).
    private var hasPromotionOption: Bool {
        guard let set = context.ocf.crmFeatureSet, !set.isEmpty else { return true }
        return FeatureSet(set) >= FeatureSet("3.10.0")
    }

    private func run(_ name: String, _ arguments: [String], limit: Duration) throws(ActionFailure) -> CommandResult {
        let deadline = context.deadline.capped(at: limit)
        do {
            return try context.runner.run(
                Command(tool(name), arguments, environment: context.toolEnvironment), until: deadline)
        } catch {
            switch error {
            case .timedOut: throw ActionFailure(.genericError, "\(name) did not answer within \(limit)")
            case .launchFailed(_, let code): throw ActionFailure(.genericError, "cannot run \(name) (errno \(code))")
            }
        }
    }

    /// One structured view of the cluster, within `limit` (default: crm_attr_timeout, at least 10 s).
    func status(limit: Duration? = nil) throws(ActionFailure) -> ClusterStatus {
        let limit = limit ?? .seconds(max(10, context.parameters.crmAttributeTimeout))
        let result = try run("crm_mon", ["-1", "-A", xmlOption], limit: limit)
        guard result.succeeded else {
            throw ActionFailure(.genericError, "crm_mon failed: \(result.combinedOutput.prefix(300))")
        }
        return try ClusterStatus.parse(result.standardOutput, resource: context.ocf.resourceName)
    }

    /// Every node's permanent attributes from the CIB (offline nodes included).
    func permanentAttributes() throws(ActionFailure) -> [NodeName: [String: String]] {
        let result = try run(
            "cibadmin", ["--query", "--scope", "nodes"], limit: .seconds(max(10, context.parameters.crmAttributeTimeout)))
        guard result.succeeded else {
            throw ActionFailure(.genericError, "cibadmin --query failed: \(result.combinedOutput.prefix(300))")
        }
        return try PermanentAttributes.parse(result.standardOutput)
    }

    /// Whether this node's partition has quorum, as the controller's membership says (`crm_node -q`).
    func partitionHasQuorum(limit: Duration) throws(ActionFailure) -> Bool {
        let result = try run("crm_node", ["-q"], limit: limit)
        switch result.standardOutput.trimmingSpaces {
        case "1" where result.succeeded: return true
        case "0": return false
        default: throw ActionFailure(.genericError, "crm_node -q failed: \(result.combinedOutput.prefix(300))")
        }
    }

    /// Carries out attribute writes in order; each is retried while the deadline allows, or – with
    /// `retrying: false` – tried once.
    func apply(_ writes: [AttributeWrite], retrying: Bool = true) throws(ActionFailure) {
        for write in writes {
            var arguments = ["-l", write.lifetime.rawValue, "-N", write.node.rawValue, "-n", write.name]
            if let value = write.value { arguments += ["-v", value] } else { arguments += ["-D"] }
            context.logger.info("Changing \(write)")
            try attempt("crm_attribute", arguments, retrying: retrying)
        }
    }

    /// The stored value of one node attribute (`crm_attribute -G`), one attempt within
    /// `crm_attr_timeout`: `nil` when it has none.
    func query(_ name: String, of node: NodeName, lifetime: AttributeWrite.Lifetime) throws(ActionFailure) -> String? {
        let arguments = ["-G", "-q", "-l", lifetime.rawValue, "-N", node.rawValue, "-n", name]
        let result = try run(
            "crm_attribute", arguments, limit: .seconds(max(1, context.parameters.crmAttributeTimeout)))
        switch result.termination {
        case .exited(0):
            var value = Substring(result.standardOutput)
            while value.hasSuffix("\n") { value = value.dropLast() }
            return String(value)
        case .exited(105):  // CRM_EX_NOSUCH: no such attribute
            return nil
        default:
            throw ActionFailure(
                .genericError, "crm_attribute \(arguments.joined(separator: " ")) failed: \(result.combinedOutput)")
        }
    }

    /// This instance's promotion score, on `node` (this node, or its bundle's host).
    func setPromotionScore(_ score: PromotionScore, on node: NodeName, retrying: Bool = true) throws(ActionFailure) {
        let arguments = hasPromotionOption
            ? ["--promotion=\(context.ocf.resourceName)", "-N", node.rawValue, "-v", score.rawValue]
            : ["-N", node.rawValue, "-n", "master-\(context.ocf.resourceName)", "-l", "reboot", "-v", score.rawValue]
        context.logger.info("Changing \(context.ocf.resourceName) promotion score on \(node) to \(score.rawValue)")
        try attempt("crm_attribute", arguments, retrying: retrying)
    }

    /// `crm_resource --ban` of this resource from this node (pre-promote refusal, as the shell agent).
    func banHere(me: NodeName) throws(ActionFailure) {
        try attempt("crm_resource", ["-B", "-r", context.ocf.resourceInstance, "-N", me.rawValue, "-Q"])
    }

    /// A transient attribute of this instance through attrd (`<rsc>-receiver-status`), on
    /// ``OCFEnvironment/attributeTarget`` (attrd's own choice when the agent runs by hand).
    func attrdUpdate(_ name: String, _ value: String?, retrying: Bool = true) throws(ActionFailure) {
        let node = context.ocf.attributeTarget.map { ["-N", $0.rawValue] } ?? []
        try attempt("attrd_updater", node + ["-n", name] + (value.map { ["-U", $0] } ?? ["-D"]), retrying: retrying)
    }

    private func attempt(_ name: String, _ arguments: [String], retrying: Bool = true) throws(ActionFailure) {
        let limit = Duration.seconds(max(1, context.parameters.crmAttributeTimeout))
        var last = ""
        while true {
            do {
                let result = try run(name, arguments, limit: limit)
                if result.succeeded { return }
                last = result.combinedOutput
            } catch {
                last = error.reason
            }
            guard retrying, context.deadline.remaining > .seconds(1) else { break }
            context.logger.warning("\(name) \(arguments.joined(separator: " ")) failed (\(last)); retrying")
            context.deadline.sleep(.milliseconds(500))
        }
        throw ActionFailure(.genericError, "giving up on \(name) \(arguments.joined(separator: " ")): \(last)")
    }
}

/// A Pacemaker feature set (`3.16.1`), compared numerically.
struct FeatureSet: Comparable {
    let parts: [Int]

    init(_ text: String) { parts = text.split(separator: ".").map { Int($0) ?? 0 } }

    static func < (lhs: FeatureSet, rhs: FeatureSet) -> Bool {
        for k in 0..<max(lhs.parts.count, rhs.parts.count) {
            let a = k < lhs.parts.count ? lhs.parts[k] : 0
            let b = k < rhs.parts.count ? rhs.parts[k] : 0
            if a != b { return a < b }
        }
        return false
    }
}
