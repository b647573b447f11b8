import Exec
import OCF
import Testing

@testable import Agent

/// The libpq parameters of the monitor's connection: monitor_user (or pgdba) to pgdb through pghost
/// or socketdir, the password as data, and pgdba's `~/.pgpass` unless PGPASSFILE names another.
@Suite struct DatabaseHealthTests {
    static func parameters(_ h: ReplicationHarness) throws -> [String: String] {
        let list = DatabaseHealth(context: try h.agentContext(.monitor)).connectionParameters
        #expect(Set(list.map(\.0)).count == list.count, "each keyword once: \(list.map(\.0))")
        return Dictionary(list, uniquingKeysWith: { first, _ in first })
    }

    @Test func theMonitorConnectsAsMonitorUserThroughTheSocketDirectory() throws {
        let h = ReplicationHarness.plain([
            "OCF_RESKEY_socketdir": "/run/postgresql", "OCF_RESKEY_pgport": "5433", "OCF_RESKEY_pgdb": "postgres",
        ])
        let me = try #require(UserAccount.current)
        #expect(
            try DatabaseHealthTests.parameters(h) == [
                "port": "5433", "dbname": "postgres", "user": "monitor", "application_name": "pgsql-swift",
                "host": "/run/postgresql", "password": "s3cret-password", "passfile": me.home + "/.pgpass",
            ])
    }

    @Test func pghostWinsOverSocketdirAndPgdbaIsTheDefaultUser() throws {
        let h = ReplicationHarness.plain([
            "OCF_RESKEY_socketdir": "/run/postgresql", "OCF_RESKEY_pghost": "db.example", "PGPASSFILE": "/etc/pgpass",
        ])
        h.environment["OCF_RESKEY_monitor_user"] = nil
        h.environment["OCF_RESKEY_monitor_password"] = nil
        let me = try #require(UserAccount.current)
        #expect(
            try DatabaseHealthTests.parameters(h) == [
                "port": "5432", "dbname": "template1", "user": me.name, "application_name": "pgsql-swift",
                "host": "db.example",
            ])
    }
}
