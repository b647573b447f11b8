import Exec
import Postgres
import Replication
import Testing

/// What a real PostgreSQL 15 makes of a standby's application_name.
///
/// pg_stat_activity and pg_stat_replication read the same backend status: bytes outside printable
/// ASCII are replaced and the name is cut to 63 bytes, so such a node never matches its row.
/// Validation rejects exactly those.
@Suite(.serialized, .enabled(if: TestCluster.isAvailable, "needs root and PostgreSQL 15"))
struct ApplicationNameTests {
    static let names = [
        "pgn1", "PGN1", "node-a.example.com", "pg_1~+@:;!", String(repeating: "n", count: 63),
        String(repeating: "n", count: 64), "pgné1", "ノード", "tab\u{80}x",
    ]

    @Test func postgreSQLChangesExactlyTheNamesValidationRejects() throws {
        let cluster = try TestCluster()
        _ = try cluster.startWithAgent()
        for text in Self.names {
            let node = try #require(NodeName(text))
            let connection = try Connection.open(
                [
                    ("host", cluster.socketDirectory), ("port", String(cluster.port)), ("dbname", "postgres"),
                    ("user", "postgres"), ("application_name", text),
                ], as: cluster.owner, until: Deadline(after: .seconds(10)))
            let rows = try connection.query(
                "select application_name from pg_stat_activity where pid = pg_backend_pid()",
                until: Deadline(after: .seconds(10)))
            let seen = rows.first?.first ?? nil
            #expect((seen == text) == (node.applicationNameProblem == nil), "\(text) became \(seen ?? "NULL")")
        }
        #expect(try AgentBinary.run("stop", cluster.agentEnvironment).code == 0)
    }
}
