/// `PGSQL.lock` in tmpdir: written when a node is promoted, it marks data that may be ahead of every
/// standby (a crashed primary). While it exists the node refuses to start; the operator re-clones the
/// node, removes the lock and cleans up (the shell agent's procedure, kept as is).
public enum LockFileRule {
    public static let fileName = "PGSQL.lock"

    /// The exit reason of a refused start (the shell agent's words).
    public static func refusal(path: String) -> String {
        "My data may be inconsistent. You have to remove \(path) file to force start."
    }

    /// On demote of the primary the lock is removed when no unpromoted instance will remain after
    /// this transition: none existed, or every one of them is being stopped too (a whole clone stop).
    /// Without notification variables nothing is known, and the lock stays.
    public static func removeOnDemote(unpromoted: [NodeName]?, stopping: [NodeName]?) -> Bool {
        guard let unpromoted else { return false }
        let stopping = Set(stopping ?? [])
        return unpromoted.allSatisfy { stopping.contains($0) }
    }
}
