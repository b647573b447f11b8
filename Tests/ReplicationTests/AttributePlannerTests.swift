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
