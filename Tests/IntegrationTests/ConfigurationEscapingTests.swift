import CLibPQ
import Exec
import Postgres
import Replication
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The recovery settings and `synchronous_standby_names` the agent writes reach a real PostgreSQL 15
/// exactly as the operator gave them: the files are included from `postgresql.conf` as the agent
/// includes them, and `SHOW` reads each value back.
@Suite(.serialized, .enabled(if: TestCluster.isAvailable, "needs root, the postgres account and PostgreSQL 15"))
struct ConfigurationEscapingTests {
    static let restoreCommand = #"cp "/arch/%f" %p \t 'it''s' \\server\share\"#
    static let cleanupCommand = "pg_archivecleanup\t/arch %r # not a comment\\"
    static let endCommand = #"printf 'done\n' > /tmp/x"# + "\n" + #"true \"#

    func writeFile(_ path: String, _ text: String, owner: UserAccount) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw TestFailure("cannot write \(path)") }
        _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        chown(path, owner.uid, owner.gid)
    }

    /// libpq's own reading of a connection string.
    func conninfoValues(_ conninfo: String) throws -> [String: String] {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &message) else {
            defer { PQfreemem(message) }
            throw TestFailure("libpq rejects \(conninfo): \(message.map { String(cString: $0) } ?? "")")
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return values
    }

    @Test func recoverySettingsAndStandbyNamesReachTheServerUnchanged() throws {
        let cluster = try TestCluster()
        let node = try #require(NodeName(#"o'brien\2"#))
        let recovery = RecoveryConfiguration(
            masterIP: "10.0.0.100", port: 5432, replicationUser: #"rep 'user' \x"#, node: node,
            conninfoOptions: #"keepalives_idle=60 password='pa ss\'w\\d'"#, restoreCommand: Self.restoreCommand,
            archiveCleanupCommand: Self.cleanupCommand, recoveryEndCommand: Self.endCommand,
            usesStandbySignal: true)
        let names = SynchronousStandbyNames([#"o'brien\2"#, #"say"hi"#])

        // As the agent does: the files in a directory of their own, included from postgresql.conf.
        let recoveryPath = cluster.root + "/recovery.conf"
        let repModePath = cluster.root + "/rep_mode.conf"
        try writeFile(recoveryPath, recovery.content, owner: cluster.owner)
        try writeFile(repModePath, names.repModeConf, owner: cluster.owner)
        try cluster.appendConfig(
            RecoveryConfiguration.includeLine(for: recoveryPath) + "\n"
                + RecoveryConfiguration.includeLine(for: repModePath))
        _ = try cluster.startWithAgent()

        let shown = { (name: String) throws -> String? in try cluster.sql("show \(name)").first?.first ?? nil }
        #expect(try shown("restore_command") == Self.restoreCommand)
        #expect(try shown("archive_cleanup_command") == Self.cleanupCommand)
        #expect(try shown("recovery_end_command") == Self.endCommand)
        #expect(try shown("synchronous_standby_names") == names.setting)
        #expect(SynchronousStandbyNames(setting: try shown("synchronous_standby_names") ?? "") == names)

        let conninfo = try #require(try shown("primary_conninfo"))
        #expect(conninfo == recovery.primaryConninfo)
        let values = try conninfoValues(conninfo)
        #expect(values["host"] == "10.0.0.100")
        #expect(values["port"] == "5432")
        #expect(values["user"] == #"rep 'user' \x"#)
        #expect(values["application_name"] == #"o'brien\2"#)
        #expect(values["keepalives_idle"] == "60")
        #expect(values["password"] == #"pa ss'w\d"#)

        var env = cluster.agentEnvironment
        env["OCF_RESKEY_CRM_meta_timeout"] = "60000"
        #expect(try AgentBinary.run("stop", env).code == 0)
    }
}
