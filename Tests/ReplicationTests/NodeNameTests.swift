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

    @Test func wordsKeepDuplicates() {
        #expect(NodeName.words("pgn1 pgn2 pgn1")?.map(\.rawValue) == ["pgn1", "pgn2", "pgn1"])
        #expect(NodeName.words("ok bad\u{7}") == nil)
    }

    /// Pacemaker's view of node names (strcasecmp): ASCII case only.
    @Test func sameNodeIgnoringCase() throws {
        #expect(try #require(NodeName("PGN1")).sameNodeIgnoringCase(try #require(NodeName("pgn1"))))
        #expect(!(try #require(NodeName("pgn1")).sameNodeIgnoringCase(try #require(NodeName("pgn10")))))
        #expect(!(try #require(NodeName("É")).sameNodeIgnoringCase(try #require(NodeName("é")))))
    }

    /// PostgreSQL keeps bytes 32...126 of an application_name and at most 63 bytes of it.
    @Test(
        arguments: [
            ("pgn1", nil as String?), ("node-a.example.com", nil), (String(repeating: "n", count: 63), nil),
            ("PG_1~+@:;", nil), (String(repeating: "n", count: 64), "longer than 63 bytes"),
            ("pgné1", "printable ASCII"), ("ノード1", "printable ASCII"), ("pg\u{80}", "printable ASCII"),
            ("a'b", "quote"), ("a\"b", "quote"), ("a\\b", "quote"), ("a,b", "quote"), ("a(b", "quote"),
            ("a=b", "quote"),
        ])
    func applicationNames(_ text: String, _ problem: String?) throws {
        let name = try #require(NodeName(text))
        if let problem {
            #expect(name.applicationNameProblem?.contains(problem) == true, "\(text)")
        } else {
            #expect(name.applicationNameProblem == nil, "\(text)")
        }
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
