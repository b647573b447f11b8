import Replication

extension NodeName {
    /// A node name for table rows, which are static data (an invalid literal is a bug in the test).
    static func fixture(_ name: String) -> NodeName {
        guard let node = NodeName(name) else { fatalError("invalid node name literal '\(name)'") }
        return node
    }
}
