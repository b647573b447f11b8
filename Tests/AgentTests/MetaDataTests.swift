import Agent
import Exec
import OCF
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct MetaDataTests {
    static let fixtures = String(#filePath.dropLast("MetaDataTests.swift".count)) + "Fixtures/"

    /// The shell agent's parameters: name, default and content type (resource-agents `heartbeat/pgsql`).
    static let shellAgentParameters: [(String, String, String)] = [
        ("pgctl", "/usr/bin/pg_ctl", "string"), ("start_opt", "", "string"), ("ctl_opt", "", "string"),
        ("psql", "/usr/bin/psql", "string"), ("pgdata", "/var/lib/pgsql/data", "string"),
        ("pgdba", "postgres", "string"), ("pghost", "", "string"), ("pgport", "5432", "integer"),
        ("pglibs", "/usr/lib", "string"), ("monitor_user", "", "string"), ("monitor_password", "", "string"),
        ("monitor_sql", "select now();", "string"), ("config", "${OCF_RESKEY_pgdata}/postgresql.conf", "string"),
        ("pgdb", "template1", "string"), ("logfile", "/dev/null", "string"), ("socketdir", "", "string"),
        ("stop_escalate", "90", "integer"), ("rep_mode", "none", "string"), ("node_list", "", "string"),
        ("restore_command", "", "string"), ("archive_cleanup_command", "", "string"),
        ("recovery_end_command", "", "string"), ("master_ip", "", "string"), ("repuser", "postgres", "string"),
        ("primary_conninfo_opt", "", "string"), ("restart_on_promote", "false", "boolean"),
        ("replication_slot_name", "", "string"), ("tmpdir", "/var/lib/pgsql/tmp", "string"),
        ("xlog_check_count", "3", "integer"), ("crm_attr_timeout", "5", "integer"),
        ("stop_escalate_in_slave", "90", "integer"), ("check_wal_receiver", "false", "boolean"),
        ("external_standby_node_list", "", "string"),
    ]

    @Test func everyShellAgentParameterWithItsDefaultAndType() {
        let parameters = AgentMetaData.document.parameters
        #expect(parameters.count == 33)
        #expect(Set(parameters.map(\.name)).count == 33)
        for (name, defaultValue, type) in Self.shellAgentParameters {
            let p = parameters.first { $0.name == name }
            #expect(p?.defaultValue == defaultValue, "\(name)")
            #expect(p?.type.rawValue == type, "\(name)")
            #expect(p?.required == false, "\(name)")
        }
    }

    @Test func actionsIncludeRoleSpecificMonitorsWithDistinctIntervals() {
        let monitors = AgentMetaData.document.actions.filter { $0.name == "monitor" }
        #expect(Set(monitors.compactMap(\.role)) == ["Promoted", "Unpromoted"])
        #expect(Set(monitors.compactMap(\.intervalSeconds)).count == monitors.count)
        let names = Set(AgentMetaData.document.actions.map(\.name))
        #expect(names == Set(OCFAction.allCases.map(\.rawValue)))
    }

    @Test func matchesTheGoldenFile() throws {
        let xml = AgentMetaData.document.xml
        let path = Self.fixtures + "metaData.xml"
        if getenv("RECORD_SNAPSHOTS") != nil {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            _ = Array(xml.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        let golden = try #require(TextFile.read(path), "missing \(path); record it with RECORD_SNAPSHOTS=1")
        #expect(xml == golden)
    }

    @Test(.enabled(if: ExecutableLookup.resolve("xmllint", searchPath: "/usr/bin:/bin") != nil))
    func validatesAgainstTheDTDUsedByOcfTester() throws {
        let dtd = "/usr/share/resource-agents/ra-api-1.dtd"
        try #require(ExecutableLookup.isExecutableFile("/usr/bin/xmllint"))
        try #require(TextFile.read(dtd) != nil, "resource-agents' \(dtd) is needed (apt install resource-agents)")
        let result = try xmllint(["--noout", "--dtdvalid", dtd])
        #expect(result.succeeded, "\(result.standardError)")
    }

    @Test(.enabled(if: ExecutableLookup.resolve("xmllint", searchPath: "/usr/bin:/bin") != nil))
    func validatesAgainstTheOCF11Schema() throws {
        let result = try xmllint(["--noout", "--relaxng", Self.fixtures + "ra-api-1.1.rng"])
        #expect(result.succeeded, "\(result.standardError)")
    }

    private func xmllint(_ arguments: [String]) throws -> CommandResult {
        // xmllint reads the document from a file: write the meta-data next to nothing else.
        var template = Array("/tmp/pgsql-swift-metadata-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        try #require(fd >= 0)
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        _ = Array(AgentMetaData.document.xml.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return try ProcessRunner().run(
            Command("/usr/bin/xmllint", arguments + [path]), until: Deadline(after: .seconds(30)))
    }
}
