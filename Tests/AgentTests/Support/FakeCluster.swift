import Exec

/// A recording stand-in for the Pacemaker tools (`crm_mon`, `crm_attribute`, `crm_resource`,
/// `attrd_updater`) and any other program the agent runs (`pg_ctl` …): an in-memory cluster whose
/// `crm_mon` XML is made from its state, and whose attribute writes change that state.
///
/// Every call is recorded in the shared ``EffectLog``: `crm_attribute <name>[<node>]=<value>`
/// (`<deleted>` for -D), `crm_mon`, `crm_resource <args>`, `attrd_updater <name>=<value>`,
/// `run <program> <args>`.
final class FakeCluster: CommandRunner {
    struct Node {
        var online = true
        /// Lost without being fenced (a partition): offline and `unclean="true"`.
        var unclean = false
        var attributes: [String: String] = [:]
        /// The role of the resource's instance (`Promoted`, `Unpromoted`), nil when stopped.
        var role: String?
    }

    let log: EffectLog
    /// The node the agent runs on (for `--promotion` and `attrd_updater` without `-N`).
    let localNode: String
    let resource: String
    var nodes: [String: Node]
    var quorum: Bool? = true
    /// crm_mon fails (exit 1) while true.
    var crmMonFails = false
    /// A write of `name[node]` for which this returns true fails (exit 1) and changes nothing.
    var failWrite: (_ node: String, _ name: String, _ value: String?) -> Bool = { _, _, _ in false }
    /// Called after each successful attribute write (to change quorum, say).
    var afterWrite: (FakeCluster) -> Void = { _ in }
    /// Scripted programs other than the Pacemaker tools (`pg_ctl` …), by file name.
    ///
    /// Each gives the outcome of a run with these arguments (recorded first as `run <program> <args>`).
    /// Other programs exit 0 silently.
    var programs: [String: (_ arguments: [String]) -> Result<CommandResult, CommandError>] = [:]
    /// The environment of every command run, in order.
    private(set) var environments: [[String: String]] = []

    init(log: EffectLog, localNode: String, resource: String = "pgsql", nodes: [String: Node]) {
        self.log = log
        self.localNode = localNode
        self.resource = resource
        self.nodes = nodes
    }

    func attribute(_ node: String, _ name: String) -> String? { nodes[node]?.attributes[name] }

    func run(_ command: Command, until deadline: Deadline) throws(CommandError) -> CommandResult {
        environments.append(command.environment)
        let program = String(command.executable.split(separator: "/").last ?? "")
        let args = command.arguments
        switch program {
        case "crm_mon":
            log.append("crm_mon")
            return crmMonFails ? result(1, error: "crm_mon: connection refused") : result(0, out: xml())
        case "crm_attribute":
            return attributeWrite(args)
        case "attrd_updater":
            let name = value(after: "-n", in: args) ?? ""
            let newValue = value(after: "-U", in: args)
            return write(node: value(after: "-N", in: args) ?? localNode, name: name, value: newValue, tool: program)
        case "crm_node":
            log.append("crm_node " + args.joined(separator: " "))
            return result(0, out: quorum == true ? "1\n" : "0\n")
        case "cibadmin":
            log.append("cibadmin " + args.joined(separator: " "))
            return crmMonFails ? result(1, error: "cibadmin: connection refused") : result(0, out: nodesSection())
        case "crm_resource":
            log.append("crm_resource " + args.joined(separator: " "))
            return result(0)
        default:
            log.append("run \(program) " + args.joined(separator: " "))
            if let script = programs[program] { return try script(args).get() }
            return result(0)
        }
    }

    private func attributeWrite(_ args: [String]) -> CommandResult {
        var name = value(after: "-n", in: args)
        if let promotion = args.first(where: { $0.hasPrefix("--promotion") }) {
            let rsc = promotion.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? resource
            name = "master-" + rsc
        }
        guard let name else { return result(1, error: "crm_attribute: no name") }
        if args.contains("-G") || args.contains("--query") {
            let node = value(after: "-N", in: args) ?? localNode
            log.append("crm_attribute query \(name)[\(node)]")
            guard let current = attribute(node, name) else { return result(6, error: "not found") }
            return result(0, out: current + "\n")
        }
        let newValue = args.contains("-D") ? nil : value(after: "-v", in: args)
        return write(
            node: value(after: "-N", in: args) ?? localNode, name: name, value: newValue, tool: "crm_attribute")
    }

    private func write(node: String, name: String, value: String?, tool: String) -> CommandResult {
        let shown = "\(tool) \(name)[\(node)]=\(value ?? "<deleted>")"
        if failWrite(node, name, value) {
            log.append(shown + " FAILED")
            return result(1, error: "\(tool): could not update")
        }
        log.append(shown)
        nodes[node, default: Node()].attributes[name] = value
        afterWrite(self)
        return result(0)
    }

    private func value(after flag: String, in args: [String]) -> String? {
        guard let k = args.firstIndex(of: flag), k + 1 < args.count else { return nil }
        return args[k + 1]
    }

    private func result(_ code: Int32, out: String = "", error: String = "") -> CommandResult {
        CommandResult(termination: .exited(code), standardOutput: out, standardError: error)
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Attributes kept in the CIB's nodes section (lifetime forever), also for offline nodes.
    static func isPermanent(_ name: String) -> Bool { name.hasSuffix("-data-status") }

    /// `cibadmin --query --scope nodes`: every node's permanent attributes, offline nodes too.
    func nodesSection() -> String {
        var text = "<nodes>\n"
        for (k, (name, node)) in nodes.sorted(by: { $0.key < $1.key }).enumerated() {
            text += "<node id=\"\(k + 1)\" uname=\"\(FakeCluster.escape(name))\">"
            text += "<instance_attributes id=\"nodes-\(k + 1)\">"
            for (key, value) in node.attributes.sorted(by: { $0.key < $1.key }) where FakeCluster.isPermanent(key) {
                text += "<nvpair id=\"nodes-\(k + 1)-\(key)\" name=\"\(key)\" value=\"\(FakeCluster.escape(value))\"/>"
            }
            text += "</instance_attributes></node>\n"
        }
        return text + "</nodes>\n"
    }

    /// crm_mon's XML as Pacemaker 2.1 prints it; offline nodes show no attributes, as there.
    func xml() -> String {
        let sorted = nodes.sorted { $0.key < $1.key }
        var text = "<pacemaker-result api-version=\"2.29\" request=\"crm_mon -1 -A --output-as=xml\">\n<summary>"
        if let quorum {
            text +=
                "<current_dc present=\"true\" version=\"2.1.5\" name=\"\(localNode)\" id=\"1\""
                + " with_quorum=\"\(quorum)\" mixed_version=\"false\"/>"
        } else {
            text += "<current_dc present=\"false\"/>"
        }
        text += "</summary>\n<nodes>\n"
        for (k, (name, node)) in sorted.enumerated() {
            let id = "id=\"\(k + 1)\""
            text +=
                "<node name=\"\(FakeCluster.escape(name))\" \(id) online=\"\(node.online)\" unclean=\"\(node.unclean)\" type=\"member\"/>\n"
        }
        text += "</nodes>\n<resources>\n<clone id=\"\(resource)-clone\" multi_state=\"true\" unique=\"false\">\n"
        for (k, (name, node)) in sorted.enumerated() {
            let role = node.role ?? "Stopped"
            text += "<resource id=\"\(resource)\" resource_agent=\"ocf:heartbeat:pgsql\" role=\"\(role)\">"
            if role != "Stopped" {
                text += "<node name=\"\(FakeCluster.escape(name))\" id=\"\(k + 1)\" cached=\"true\"/>"
            }
            text += "</resource>\n"
        }
        text += "</clone>\n</resources>\n<node_attributes>\n"
        for (name, node) in sorted where node.online {
            text += "<node name=\"\(FakeCluster.escape(name))\">\n"
            for (key, value) in node.attributes.sorted(by: { $0.key < $1.key }) {
                text += "<attribute name=\"\(FakeCluster.escape(key))\" value=\"\(FakeCluster.escape(value))\"/>\n"
            }
            text += "</node>\n"
        }
        text += "</node_attributes>\n</pacemaker-result>\n"
        return text
    }
}
