import Replication
import Testing

/// Which attribute writes the decisions turn into: read before write, guards, lifetimes.
@Suite struct AttributePlannerTests {
    static let me = NodeName("pgn1")!, other = NodeName("pgn2")!, offline = NodeName("pgn3")!
    static let names = ResourceAttributes(resource: "pgsql")

    func planner(_ other: [String: String], online: Bool = true) -> AttributePlanner {
        AttributePlanner(
            names: Self.names, me: Self.me,
            nodes: [
                Self.me: NodeAttributes(online: true, values: ["pgsql-status": "PRI"]),
                Self.other: NodeAttributes(online: online, values: other),
            ])
    }

    @Test func unchangedValuesAreNotWritten() {
        let p = planner(["pgsql-status": "HS:sync", "pgsql-data-status": "STREAMING|SYNC", "master-pgsql": "100"])
        #expect(p.status(Self.other, .syncStandby) == nil)
        #expect(p.dataStatus(Self.other, .streamingSync) == nil)
        #expect(p.otherScore(Self.other, .canPromote) == nil)
        #expect(p.status(Self.me, .primary) == nil)
    }

    @Test func lifetimes() {
        let p = planner([:])
        #expect(p.status(Self.other, .syncStandby)?.lifetime == .reboot)
        #expect(p.dataStatus(Self.other, .streamingSync)?.lifetime == .forever)
        #expect(p.own("pgsql-xlog-loc", "0000000003000060")?.lifetime == .reboot)
    }

    @Test(arguments: ["STOP", "UNKNOWN"])
    func anotherNodesOwnVerdictIsNeverOverwritten(_ current: String) {
        #expect(planner(["pgsql-status": current]).status(Self.other, .syncStandby) == nil)
    }

    @Test func aNodeMayOverwriteItsOwnStop() {
        let p = AttributePlanner(
            names: Self.names, me: Self.me, nodes: [Self.me: NodeAttributes(online: true, values: ["pgsql-status": "STOP"])])
        #expect(p.status(Self.me, .aloneStandby)?.value == "HS:alone")
    }

    @Test func offlineNodes() {
        let p = planner(["master-pgsql": "100"], online: false)
        #expect(p.status(Self.other, .syncStandby) == nil, "status: online nodes only")
        #expect(p.otherScore(Self.other, .cannotPromote) == nil, "score: online nodes only")
        #expect(p.dataStatus(Self.other, .disconnect)?.value == "DISCONNECT", "data-status: any member")
        #expect(p.dataStatus(Self.offline, .disconnect) == nil, "not a member: nothing")
    }

    /// An offline node's data status is unknown, not absent (crm_mon lists none of its attributes).
    ///
    /// The write is planned but marked for a read first; once read, the usual read-before-write
    /// applies.
    @Test func anOfflineNodesUnknownValueIsReadBeforeWriting() throws {
        func with(_ info: NodeAttributes) -> AttributePlanner {
            AttributePlanner(
                names: Self.names, me: Self.me, nodes: [Self.me: NodeAttributes(online: true), Self.other: info])
        }
        let unknown = with(NodeAttributes(online: false, knownNames: []))
        let write = try #require(unknown.dataStatus(Self.other, .disconnect))
        #expect(unknown.needsStoredValue(write))
        #expect(!unknown.isUnchanged(write))

        var read = NodeAttributes(online: false, knownNames: [])
        read.record("pgsql-data-status", "DISCONNECT")
        #expect(with(read).dataStatus(Self.other, .disconnect) == nil, "stored DISCONNECT: nothing to write")
        #expect(!with(read).needsStoredValue(write) && with(read).isUnchanged(write))

        var none = NodeAttributes(online: false, knownNames: [])
        none.record("pgsql-data-status", nil)
        #expect(with(none).dataStatus(Self.other, .disconnect) != nil, "known to have no value: written")
        #expect(!with(none).needsStoredValue(write) && !with(none).isUnchanged(write))

        let online = with(NodeAttributes(online: true))
        #expect(!online.needsStoredValue(write), "crm_mon lists every attribute of an online node")
        #expect(!planner([:]).needsStoredValue(try #require(planner([:]).dataStatus(Self.other, .disconnect))))
    }

    @Test func aMissingScoreIsLeftToPacemaker() {
        #expect(planner([:]).otherScore(Self.other, .cannotPromote) == nil)
        #expect(planner(["master-pgsql": "100"]).otherScore(Self.other, .cannotPromote)?.value == "-INFINITY")
    }

    @Test func deletionOnlyWhenPresent() {
        #expect(planner([:]).own("pgsql-master-baseline", nil) == nil)
        let p = AttributePlanner(
            names: Self.names, me: Self.me,
            nodes: [Self.me: NodeAttributes(online: true, values: ["pgsql-master-baseline": "0000000003000060"])])
        #expect(p.own("pgsql-master-baseline", nil) == AttributeWrite(
            node: Self.me, name: "pgsql-master-baseline", value: nil, lifetime: .reboot))
    }
}
