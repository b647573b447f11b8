/// The primary's decision about its standbys, taken on every primary monitor and after a standby
/// starts or stops (the shell agent's `control_slave_status`).
///
/// For each node of `node_list` other than the primary, its `pg_stat_replication` row (matched by
/// exact `application_name`) gives its data status, promotion score and status; in `sync` mode the
/// first streaming async standby becomes the synchronous one and stays so while it streams, and a
/// synchronous standby that is gone or not streaming switches the primary to async (commits must not
/// wait for it). With `external_standby_node_list`, every streaming standby of the cluster or of that
/// list is synchronous (`FIRST n (...)`).
public enum StandbyControl {
    public struct Input: Sendable {
        public var primary: NodeName
        public var nodeList: [NodeName]
        public var mode: ReplicationMode
        public var externalStandbys: [String]
        public var rows: [ReplicationRow]
        public var synchronousStandbyNames: SynchronousStandbyNames

        public init(
            primary: NodeName, nodeList: [NodeName], mode: ReplicationMode, externalStandbys: [String] = [],
            rows: [ReplicationRow], synchronousStandbyNames: SynchronousStandbyNames
        ) {
            self.primary = primary
            self.nodeList = nodeList
            self.mode = mode
            self.externalStandbys = externalStandbys
            self.rows = rows
            self.synchronousStandbyNames = synchronousStandbyNames
        }
    }

    /// What one standby should look like.
    public struct StandbyVerdict: Hashable, Sendable {
        public var node: NodeName
        public var dataStatus: DataStatus
        public var score: PromotionScore
        /// `nil`: leave its status as it is (a disconnected node reports its own).
        public var status: PgsqlStatus?
    }

    public struct Decision: Hashable, Sendable {
        public var standbys: [StandbyVerdict]
        /// The new `synchronous_standby_names`, or `nil` when it does not change.
        public var synchronousStandbyNames: SynchronousStandbyNames?
    }

    public static func decide(_ input: Input) -> Decision {
        let managesSyncNames = input.mode == .sync && input.externalStandbys.isEmpty
        var names = input.synchronousStandbyNames
        var verdicts: [StandbyVerdict] = []
        for node in input.nodeList where node != input.primary {
            let row = input.rows.first { $0.applicationName == node.rawValue }
            let dataStatus = row?.dataStatus ?? .disconnect
            var score = PromotionScore.cannotPromote
            var status: PgsqlStatus?
            switch dataStatus {
            case .streamingSync:
                score = .canPromote
                status = .syncStandby
            case .streamingAsync:
                if input.mode == .async { score = input.nodeList.count <= 2 ? .canPromote : .cannotPromote }
                if managesSyncNames && names.names.isEmpty { names = SynchronousStandbyNames([node.rawValue]) }
                status = .asyncStandby
            case .streamingPotential:
                status = .potentialStandby
            case .disconnect:
                if managesSyncNames && names.mentions(node.rawValue) { names = .none }
            default:
                if managesSyncNames && names.mentions(node.rawValue) { names = .none }
                status = .connectedStandby
            }
            verdicts.append(StandbyVerdict(node: node, dataStatus: dataStatus, score: score, status: status))
        }
        if input.mode == .sync && !input.externalStandbys.isEmpty {
            let members = Set(input.nodeList.map(\.rawValue)).union(input.externalStandbys)
            var streaming: [String] = []
            for row in input.rows where row.state == "STREAMING" && members.contains(row.applicationName) {
                if !streaming.contains(row.applicationName) { streaming.append(row.applicationName) }
            }
            let wanted = SynchronousStandbyNames(streaming)
            if !wanted.sameMembers(as: input.synchronousStandbyNames) { names = wanted }
        }
        let changed = names != input.synchronousStandbyNames
        return Decision(standbys: verdicts, synchronousStandbyNames: changed ? names : nil)
    }
}
