/// Whether a PostgreSQL found running as a primary may act as this cluster's primary.
///
/// A node whose PostgreSQL runs as a primary that Pacemaker did not promote (started by hand, or by
/// the init system after a reboot, while another node was promoted meanwhile) is stale: it must not
/// give itself 1000 nor mark the promoted node `DISCONNECT` / -INFINITY. It is stale when another
/// node runs promoted, or – when the cluster shows no promoted instance, as after
/// `crm_resource --refresh` – when its own data status says it lost the primary role (anything but
/// `LATEST`) while another node's says `LATEST`. The real primary keeps `LATEST`, so its re-probe
/// after a refresh still claims the role. The shell agent let a stale primary's probe win.
public enum RunningPrimary {
    public enum Verdict: Hashable, Sendable {
        case primary
        case stale(reason: String)
    }

    public static func judge(
        me: NodeName, promoted: [NodeName], dataStatus: [NodeName: DataStatus]
    ) -> Verdict {
        if let other = promoted.first(where: { $0 != me }) {
            return .stale(reason: "PostgreSQL runs as a primary here while \(other) is promoted")
        }
        guard promoted.isEmpty, let mine = dataStatus[me], mine != .latest else { return .primary }
        guard let latest = dataStatus.keys.sorted().first(where: { $0 != me && dataStatus[$0] == .latest }) else {
            return .primary
        }
        return .stale(
            reason: "PostgreSQL runs as a primary here, but its data status is \(mine) and \(latest)'s is LATEST")
    }
}
