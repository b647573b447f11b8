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
    /// Without notification variables nothing is known, and the lock stays. So it does when this
    /// node may be the minority of a partition (`partitioned`: no quorum, or unknown, while another
    /// node is out of sight without being cleanly down): the other nodes are merely out of sight
    /// there, and the majority may be promoting one of them (the shell agent removed the lock).
    public static func removeOnDemote(unpromoted: [NodeName]?, stopping: [NodeName]?, partitioned: Bool) -> Bool {
        guard !partitioned, let unpromoted else { return false }
        let stopping = Set(stopping ?? [])
        return unpromoted.allSatisfy { stopping.contains($0) }
    }
}

/// How a stop or demote shuts PostgreSQL down in a partition.
public enum PartitionStop {
    /// Seconds of fast shutdown before `-m immediate`. In a partition a primary's fast shutdown
    /// would wait for its walsenders to reach standbys it cannot reach (up to `wal_sender_timeout`)
    /// while its VIP stays up: it goes straight to immediate (crash recovery on the next start, no
    /// data lost). Otherwise (quorum, the other nodes cleanly down, or nothing known) the configured
    /// escalation.
    public static func escalation(configured: Int, partitioned: Bool) -> Int {
        partitioned ? 0 : configured
    }
}
