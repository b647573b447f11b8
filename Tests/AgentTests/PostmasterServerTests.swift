#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres
import Testing

@testable import Agent

/// The real ``LocalServer`` of the replication actions: liveness from `postmaster.pid`, reload as
/// SIGHUP to the postmaster, SQL through libpq (here with no server to answer).
@Suite struct PostmasterServerTests {
    @Test func itRunsWhileItsPostmasterLives() throws {
        let h = ReplicationHarness.plain()
        let server = PostmasterServer(context: try h.agentContext(.monitor))
        #expect(!server.isRunning)
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        #expect(server.isRunning)
        postmaster.end()
        #expect(!server.isRunning, "a dead postmaster's pid file is stale")
    }

    @Test func reloadSendsSIGHUPToThePostmaster() throws {
        let h = ReplicationHarness.plain()
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        try PostmasterServer(context: try h.agentContext(.monitor)).reload()
        #expect(postmaster.reap())
        #expect(postmaster.endingSignal == SIGHUP, "sleep ends on SIGHUP")
        #expect(h.agentLog.contains("Reload configuration file."))
    }

    @Test func reloadOfAStoppedServerDoesNothing() throws {
        let h = ReplicationHarness.plain()
        StandInPostmaster.writePidFile(h.pgdata, getpid())
        try PostmasterServer(context: try h.agentContext(.monitor)).reload()
        #expect(!h.agentLog.contains("Reload"), "our own process got no SIGHUP")
    }

    @Test func aQueryWithoutAServerFailsWithLibpqsMessage() throws {
        let h = ReplicationHarness.plain(["OCF_RESKEY_socketdir": "/nonexistent-pgsql-swift-unit"])
        let server = PostmasterServer(context: try h.agentContext(.monitor, seconds: 5))
        for _ in 0..<2 {
            let error = #expect(throws: ActionFailure.self) { try server.query("select 1") }
            #expect(error?.code == .genericError)
            #expect(error?.reason.hasPrefix("PostgreSQL query failed (select 1): ") == true, "\(error?.reason ?? "")")
            #expect(error?.reason.contains("/nonexistent-pgsql-swift-unit/.s.PGSQL.5432") == true)
            server.closeConnection()
        }
    }
}
