import Replication
import Testing

@Suite struct NodeNameTests {
    @Test func exactComparisonKeepsCase() {
        #expect(NodeName("pg1") != NodeName("pg10"))
        #expect(NodeName("PG1") != NodeName("pg1"))
    }

    @Test(arguments: ["", " ", "a b", "tab\there", "bell\u{7}"])
    func invalidNames(_ text: String) {
        #expect(NodeName(text) == nil)
    }

    @Test func listsSplitOnWhiteSpaceAndDropDuplicates() {
        #expect(NodeName.list("pgn1  pgn2 pgn1")?.map(\.rawValue) == ["pgn1", "pgn2"])
        #expect(NodeName.list(" ")?.isEmpty == true)
        #expect(NodeName.list("ok bad\u{7}") == nil)
    }

    @Test(arguments: [("pgsql_slot", true), ("a1_b2", true), ("Upper", false), ("with-dash", false), ("dot.ted", false), ("", false)])
    func slotNames(_ text: String, _ valid: Bool) {
        #expect((ReplicationSlotName(text) != nil) == valid)
    }

    @Test func modes() {
        #expect(ReplicationMode.allCases.filter(\.isPromotable) == [.async, .sync])
        #expect(ReplicationMode(rawValue: "master") == nil)
    }
}
