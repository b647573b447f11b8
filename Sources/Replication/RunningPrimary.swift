/// Whether a PostgreSQL found running as a primary may act as this cluster's primary.
///
/// A node whose PostgreSQL runs as a primary that Pacemaker did not promote (started by hand, or by
/// the init system after a reboot, while another node was promoted meanwhile) is stale: it must not
/// give itself 1000 nor mark the promoted node `DISCONNECT` / -INFINITY. A node Pacemaker runs
/// promoted is the primary. Otherwise it is stale when another node runs promoted; and, when none
/// does (as after `crm_resource --refresh`, or with the promoted node offline), unless its own
/// permanent data status is `LATEST` or no node has a data status at all (a first start). The real
/// primary keeps `LATEST`, so its re-probe after a refresh still claims the role; every node
/// promoted since wrote `DISCONNECT` for it. The shell agent let a stale primary's probe win.
public enum RunningPrimary {
    public enum Verdict: Hashable, Sendable {
        case primary
        case stale(reason: String)
    }

    /// - Parameters:
    ///   - dataStatus: the permanent `<rsc>-data-status` of every node that has one, offline nodes
    ///     included (the CIB's nodes section, not crm_mon, which hides offline nodes' attributes).
    public static func judge(me: NodeName, promoted: [NodeName], dataStatus: [NodeName: DataStatus]) -> Verdict {
        if promoted.contains(me) { return .primary }
        if let other = promoted.first {
            return .stale(reason: "PostgreSQL runs as a primary here while \(other) is promoted")
        }
        if dataStatus[me] == .latest || dataStatus.isEmpty { return .primary }
        let mine = dataStatus[me].map { "is \($0)" } ?? "is not set"
        let latest = dataStatus.keys.sorted().first { dataStatus[$0] == .latest }
        return .stale(
            reason: "PostgreSQL runs as a primary here, but its data status \(mine)"
                + (latest.map { " and \($0)'s is LATEST" } ?? ""))
    }
}
