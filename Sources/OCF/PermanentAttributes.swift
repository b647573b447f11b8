public import Replication

/// The permanent (lifetime forever) node attributes as the CIB's `nodes` section holds them,
/// offline nodes included: `cibadmin --query --scope nodes`. crm_mon shows no attributes of an
/// offline node, so a rule that must know, say, every node's `<rsc>-data-status` reads them here.
public enum PermanentAttributes {
    /// Parses `<nodes><node uname=…><instance_attributes><nvpair name=… value=…/>…`.
    public static func parse(_ xml: String) throws(ActionFailure) -> [NodeName: [String: String]] {
        var scanner = XMLElementScanner(xml)
        var result: [NodeName: [String: String]] = [:]
        var stack: [String] = []
        var node: NodeName?
        do {
            while let event = try scanner.next() {
                switch event {
                case .start(let name, let attributes, let selfClosing):
                    if name == "node", stack.last == "nodes" {
                        node = attributes["uname"].flatMap(NodeName.init)
                        if let node, result[node] == nil { result[node] = [:] }
                    } else if name == "nvpair", stack.last == "instance_attributes", stack.dropLast().last == "node",
                        let node, let key = attributes["name"], let value = attributes["value"]
                    {
                        result[node]?[key] = value
                    }
                    if !selfClosing { stack.append(name) }
                case .end(let name):
                    guard stack.last == name else {
                        throw ActionFailure(.genericError, "cibadmin printed malformed XML (</\(name)>)")
                    }
                    stack.removeLast()
                    if name == "node" && stack.last == "nodes" { node = nil }
                }
            }
        } catch let error as XMLElementScanner.Malformed {
            throw ActionFailure(.genericError, "cibadmin printed malformed XML (at byte \(error.offset))")
        } catch let failure as ActionFailure {
            throw failure
        } catch {
            throw ActionFailure(.genericError, "cibadmin output could not be read")
        }
        guard stack.isEmpty else { throw ActionFailure(.genericError, "cibadmin printed incomplete XML") }
        return result
    }
}
