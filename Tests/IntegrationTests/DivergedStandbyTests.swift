import Exec
import Postgres
import Replication
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real timeline fork, and a standby that follows it.
///
/// `a` primary with standbys `b` and `c` (c cascading from b); b is promoted while a keeps committing; a is restarted as a standby of b and cannot follow (PostgreSQL: "new timeline 2
/// forked off current database system timeline 1 before current recovery point"); c followed the
/// promotion. The replication monitor (rep_mode=sync, crm_mon stubbed to show b promoted) must fail on
/// a with an exit reason naming the fork, and pass on c once c no longer streams, although c's
/// restartpoint (pg_control_checkpoint) is still on timeline 1.
@Suite(.serialized, .enabled(if: TestCluster.isAvailable, "needs root, the postgres account and PostgreSQL 15"))
struct DivergedStandbyTests {
    @Test func oldPrimaryFailsTheMonitorAndAFollowerOfThePromotionDoesNot() throws {
        let a = try TestCluster(), b = try TestCluster(), c = try TestCluster()
        let stubs = try Stubs(promoted: "b")
        try a.appendConfig("wal_keep_size = 256MB")
        try a.pgCtl("start")
        defer { for server in [a, b, c] { try? server.pgCtl("stop", "-m", "immediate") } }
        try a.sql("create table t(x int)")
        try a.sql("insert into t values (1)")
        try b.cloneAsStandby(of: a, name: "b")
        try b.pgCtl("start")
        try c.cloneAsStandby(of: b, name: "c")
        try c.pgCtl("start")
        try wait("c streams from b") {
            try b.sql("select count(*) from pg_stat_replication where state = 'streaming'") == [["1"]]
        }
        try a.sql("insert into t values (2)")
        try wait("c replays row 2") { try c.sql("select count(*) from t") == [["2"]] }

        try b.pgCtl("promote")
        try wait("b promoted") { try b.sql("select pg_is_in_recovery()") == [["f"]] }
        // a goes on committing on timeline 1, into the next WAL segment.
        try a.sql("insert into t values (3)")
        try a.sql("select pg_switch_wal()")
        try a.sql("insert into t values (4)")
        try b.sql("insert into t values (30)")
        try wait("c follows b onto timeline 2") { try c.sql("select count(*) from t where x = 30") == [["1"]] }
        #expect(
            try c.sql("select timeline_id from pg_control_checkpoint()") == [["1"]],
            "c's restartpoint is still on timeline 1 (the signal a naive check would misread)")

        // a becomes a standby of b.
        try a.pgCtl("stop", "-m", "fast")
        try a.appendConfig(
            "primary_conninfo = 'host=\(b.socketDirectory) port=\(b.port) user=postgres application_name=a'")
        try OwnedFile.touch(a.dataDirectory + "/standby.signal", owner: a.owner)
        try a.pgCtl("start")
        try wait("a cannot follow b", seconds: 60) {
            (TextFile.read(a.logFile) ?? "").contains("forked off current database system timeline")
        }
        let history = try #require(TextFile.read(b.dataDirectory + "/pg_wal/00000002.history"))
        let fork = try #require(TimelineDivergence.parseHistory(history)?.first?.switchpoint)
        let replayed = try #require(try a.sql("select pg_last_wal_replay_lsn()").first?.first ?? nil)

        let onA = try AgentBinary.run("monitor", a.replicationEnvironment(node: "a", stubs: stubs))
        #expect(onA.code == 1, "\(onA.stderr)")
        #expect(
            onA.exitReason?.contains(
                "Timeline 2 forked off timeline 1 at \(fork), this standby replayed to \(replayed): diverged")
                == true,
            "\(onA.stderr)")
        #expect(!stubs.ran("crm_attribute"), "nothing written for a diverged standby")

        // c, not streaming any more: it replays timeline 2 and is not reported.
        try b.pgCtl("stop", "-m", "fast")
        try wait("c's WAL receiver not streaming") {
            try c.sql("select count(*) from pg_stat_wal_receiver where status = 'streaming'") == [["0"]]
        }
        let onC = try AgentBinary.run("monitor", c.replicationEnvironment(node: "c", stubs: stubs))
        #expect(onC.code == 0, "\(onC.stderr)")
        #expect(onC.exitReason == nil, "\(onC.stderr)")
        #expect(stubs.ran("crm_mon"), "c's monitor got past the divergence check and asked the cluster")
    }

    func wait(_ what: String, seconds: Int = 30, _ condition: () throws -> Bool) throws {
        for _ in 0..<(seconds * 5) {
            if (try? condition()) == true { return }
            usleep(200_000)
        }
        throw TestFailure("timed out after \(seconds) s waiting until \(what)")
    }
}

/// `crm_mon` and `crm_attribute` stand-ins in a directory handed to the agent as HA_SBIN_DIR: crm_mon
/// prints a cluster where `promoted` runs the promoted instance; each records that it ran.
final class Stubs {
    let directory: String

    init(promoted: String) throws {
        var template = Array("/tmp/pgsql-swift-stubs-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw TestFailure("mkdtemp failed") }
        directory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let status = """
            <pacemaker-result api-version="2.3" request="crm_mon"><nodes>\
            <node name="a" online="true"/><node name="b" online="true"/><node name="c" online="true"/></nodes>\
            <node_attributes/><resources><clone id="pgsql-clone"><resource id="pgsql" role="Promoted">\
            <node name="\(promoted)"/></resource></clone></resources></pacemaker-result>
            """
        try write("crm_mon", "#!/bin/sh\ntouch \(directory)/ran-crm_mon\ncat <<'EOF'\n\(status)\nEOF\n")
        try write("crm_attribute", "#!/bin/sh\ntouch \(directory)/ran-crm_attribute\n")
    }

    deinit {
        _ = try? ProcessRunner().run(Command("/bin/rm", ["-rf", directory]), until: Deadline(after: .seconds(10)))
    }

    func ran(_ tool: String) -> Bool { TextFile.exists(directory + "/ran-" + tool) }

    private func write(_ name: String, _ script: String) throws {
        let fd = open(directory + "/" + name, O_WRONLY | O_CREAT | O_EXCL, 0o755)
        guard fd >= 0 else { throw TestFailure("cannot create stub \(name)") }
        defer { close(fd) }
        _ = Array(script.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}

extension TestCluster {
    /// pg_ctl as pgdba (the socket directory created first, as the agent's start does).
    func pgCtl(_ arguments: String...) throws {
        mkdir(socketDirectory, 0o755)
        chown(socketDirectory, owner.uid, owner.gid)
        do {
            try runAsOwner(
                TestCluster.binDirectory + "/pg_ctl",
                ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60"] + arguments)
        } catch {
            throw TestFailure("\(error)\n" + TextFile.tail(logFile, maxLines: 10).joined(separator: "\n"))
        }
    }

    /// Replaces this cluster's data directory with a base backup of `primary`, as a standby streaming
    /// from it under `application_name` `name`, listening on this cluster's port and socket.
    func cloneAsStandby(of primary: TestCluster, name: String) throws {
        _ = try ProcessRunner().run(Command("/bin/rm", ["-rf", dataDirectory]), until: Deadline(after: .seconds(30)))
        try runAsOwner(
            TestCluster.binDirectory + "/pg_basebackup",
            [
                "-h", primary.socketDirectory, "-p", String(primary.port), "-U", "postgres", "-D", dataDirectory,
                "-X", "stream", "-c", "fast",
            ])
        try appendConfig(
            """
            port = \(port)
            unix_socket_directories = '\(socketDirectory)'
            primary_conninfo = 'host=\(primary.socketDirectory) port=\(primary.port) user=postgres application_name=\(name)'
            """)
        try OwnedFile.touch(dataDirectory + "/standby.signal", owner: owner)
    }

    /// The agent's parameters for a member `node` of a rep_mode=sync clone of a, b and c.
    func replicationEnvironment(node: String, stubs: Stubs) -> [String: String] {
        var env = agentEnvironment
        env["OCF_RESKEY_rep_mode"] = "sync"
        env["OCF_RESKEY_node_list"] = "a b c"
        env["OCF_RESKEY_master_ip"] = "127.0.0.1"
        env["OCF_RESKEY_tmpdir"] = root + "/tmp"
        env["OCF_RESKEY_CRM_meta_promotable"] = "true"
        env["OCF_RESKEY_CRM_meta_on_node"] = node
        env["HA_SBIN_DIR"] = stubs.directory
        return env
    }
}
