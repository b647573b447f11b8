/// The primary's decision about its standbys, taken on every primary monitor and after a standby
/// starts or stops (the shell agent's `control_slave_status`).
///
/// For each node of `node_list` other than the primary, its `pg_stat_replication` row (matched by
/// exact `application_name`) gives its data status, promotion score and status; in `sync` mode the
/// first streaming async standby becomes the synchronous one and stays so while it streams, and a
/// synchronous standby that is gone or not streaming switches the primary to async (commits must not
/// wait for it). With `external_standby_node_list`, every streaming standby of the cluster or of that
/// list is synchronous (`FIRST n (...)`).
///
/// A synchronous standby gets 100 only once it holds every commit the primary acknowledged: one the
/// cluster already shows as a promotable synchronous standby keeps it; one that has just become
/// synchronous (after an async period: a new standby, a standby back from a disconnect) stays at
/// -INFINITY until its `flush_lsn` reaches the primary's flush position read after the switch
/// (`catchUpTarget`). The shell agent gave 100 at once, to a standby that could lack the commits
/// acknowledged while it was asynchronous.
public enum StandbyControl {
    public struct Input: Sendable {
        public var primary: NodeName
        public var nodeList: [NodeName]
        public var mode: ReplicationMode
        public var externalStandbys: [String]
        public var rows: [ReplicationRow]
        public var synchronousStandbyNames: SynchronousStandbyNames
        /// Standbys the cluster already shows as `STREAMING|SYNC` with score 100 (caught up earlier).
        public var promotable: Set<NodeName>
        /// The primary's flush position, read after every synchronous standby of `rows` had become
        /// synchronous; `nil` when no such reading exists yet in this action.
        public var catchUpTarget: LSN?

        public init(
            primary: NodeName, nodeList: [NodeName], mode: ReplicationMode, externalStandbys: [String] = [],
            rows: [ReplicationRow], synchronousStandbyNames: SynchronousStandbyNames,
            promotable: Set<NodeName> = [], catchUpTarget: LSN? = nil
        ) {
            self.primary = primary
            self.nodeList = nodeList
            self.mode = mode
            self.externalStandbys = externalStandbys
            self.rows = rows
            self.synchronousStandbyNames = synchronousStandbyNames
            self.promotable = promotable
            self.catchUpTarget = catchUpTarget
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
        /// Synchronous standbys kept at -INFINITY until they have caught up with `catchUpTarget`.
        public var awaitingCatchUp: [NodeName] = []
    }

    /// Whether a synchronous standby's flushed WAL has reached the target.
    public static func caughtUp(_ row: ReplicationRow, target: LSN?) -> Bool {
        guard let target, let flush = row.flush else { return false }
        return flush >= target
    }

    public static func decide(_ input: Input) -> Decision {
        let managesSyncNames = input.mode == .sync && input.externalStandbys.isEmpty
        var names = input.synchronousStandbyNames
        var verdicts: [StandbyVerdict] = []
        var awaiting: [NodeName] = []
        for node in input.nodeList where node != input.primary {
            let row = input.rows.first { $0.applicationName == node.rawValue }
            let dataStatus = row?.dataStatus ?? .disconnect
            var score = PromotionScore.cannotPromote
            var status: PgsqlStatus?
            switch dataStatus {
            case .streamingSync:
                if input.promotable.contains(node) || row.map({ caughtUp($0, target: input.catchUpTarget) }) == true {
                    score = .canPromote
                    status = .syncStandby
                } else {
                    // Until it holds every acknowledged commit its data counts as asynchronous: the
                    // master-right election (no primary) must not accept it either.
                    awaiting.append(node)
                    verdicts.append(
                        StandbyVerdict(node: node, dataStatus: .streamingAsync, score: score, status: .syncStandby))
                    continue
                }
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
            for row in input.rows where row.state == .streaming && members.contains(row.applicationName) {
                if !streaming.contains(row.applicationName) { streaming.append(row.applicationName) }
            }
            let wanted = SynchronousStandbyNames(streaming)
            if !wanted.sameMembers(as: input.synchronousStandbyNames) { names = wanted }
        }
        let changed = names != input.synchronousStandbyNames
        return Decision(standbys: verdicts, synchronousStandbyNames: changed ? names : nil, awaitingCatchUp: awaiting)
    }
}
