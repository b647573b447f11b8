/// The order of the primary's effects on every monitor (the safety rule of the sync mode).
///
/// Writes that make a standby unpromotable (a data status other than `STREAMING|SYNC`, a score
/// below 100) come first. A change of `synchronous_standby_names` that stops commits waiting for a
/// standby ("releases" it) is made only after those writes are confirmed in a cluster view that has
/// quorum: otherwise commits acknowledged from then on could be missing on a standby the cluster
/// still sees as promotable, or that the majority of a partition is promoting. Without quorum the
/// names stay and commits keep waiting, and the primary writes nothing for the other nodes (its CIB
/// could win the merge when the partition heals). A peer's node shown offline is no proof: without
/// fencing (`stonith-enabled=false`) a minority sees the majority's nodes offline and clean. Clusters
/// of two nodes keep quorum with corosync's `two_node`. The shell agent switched to async first and
/// wrote the attributes afterwards, with or without quorum.
public enum PrimaryControlPlan {
    public struct Input: Sendable {
        public var names: ResourceAttributes
        /// The attribute writes of the standby decision (``AttributePlanner/writes(for:)``).
        public var writes: [AttributeWrite]
        public var current: SynchronousStandbyNames
        /// The new names, `nil` when they do not change.
        public var next: SynchronousStandbyNames?
        /// Whether this node's partition has quorum; `nil` when unknown (no cluster view).
        public var quorum: Bool?

        public init(
            names: ResourceAttributes, writes: [AttributeWrite], current: SynchronousStandbyNames,
            next: SynchronousStandbyNames?, quorum: Bool?
        ) {
            self.names = names
            self.writes = writes
            self.current = current
            self.next = next
            self.quorum = quorum
        }
    }

    /// The standbys a change of names stops waiting for.
    public static func released(_ current: SynchronousStandbyNames, _ next: SynchronousStandbyNames) -> [String] {
        current.names.filter { !next.mentions($0) }
    }

    /// Whether a write lowers a node's claim to be promoted.
    public static func lowersPromotability(_ write: AttributeWrite, names: ResourceAttributes) -> Bool {
        switch write.name {
        case names.dataStatus: write.value != DataStatus.streamingSync.description
        case names.promotionScore:
            write.value != PromotionScore.canPromote.rawValue && write.value != PromotionScore.promoteMe.rawValue
        default: false
        }
    }

    public static func steps(_ input: Input) -> [PrimaryStep] {
        let writes = input.quorum == true ? input.writes : []
        let lowering = writes.filter { lowersPromotability($0, names: input.names) }
        let rest = writes.filter { !lowersPromotability($0, names: input.names) }
        var steps: [PrimaryStep] = []
        if !lowering.isEmpty { steps.append(.write(lowering)) }
        if let next = input.next {
            let released = released(input.current, next)
            if released.isEmpty {
                steps.append(.synchronousStandbyNames(next))
            } else if input.quorum == true {
                if !lowering.isEmpty { steps.append(.confirm(lowering)) }
                steps.append(.synchronousStandbyNames(next))
            } else {
                steps.append(.keepSynchronousWithoutQuorum(next))
            }
        }
        if !rest.isEmpty { steps.append(.write(rest)) }
        return steps
    }
}
