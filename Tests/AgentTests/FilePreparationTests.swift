#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres
import Testing

@testable import Agent

/// What start prepares for the server: the log file, the socket directory (mode 2775) and
/// `stats_temp_directory`, each created only when missing; and the exit reasons when it cannot.
@Suite struct FilePreparationTests {
    static func mode(_ path: String) -> mode_t? { Scratch.info(path).map { $0.st_mode & 0o7777 } }

    @Test func missingFilesAreCreatedForPgdba() throws {
        let h = ReplicationHarness.plain()
        h.environment["OCF_RESKEY_logfile"] = h.root + "/postgresql.log"
        h.environment["OCF_RESKEY_socketdir"] = h.root + "/run"
        ReplicationHarness.write(h.pgdata + "/postgresql.conf", "stats_temp_directory = 'pg_stat_tmp_unit'\n")
        try FilePreparation(context: h.agentContext(.start)).prepareForStart()
        let me = try #require(UserAccount.current)
        let log = try #require(Scratch.info(h.root + "/postgresql.log"))
        #expect(log.st_mode & S_IFMT == S_IFREG && log.st_mode & 0o7777 == 0o600)
        #expect(log.st_uid == me.uid)
        #expect(FileKind.of(h.root + "/run") == .directory)
        #expect(FilePreparationTests.mode(h.root + "/run") == 0o2775)
        #expect(FileKind.of(h.pgdata + "/pg_stat_tmp_unit") == .directory, "a relative path is under pgdata")
    }

    @Test func existingFilesAreKeptAsTheyAre() throws {
        let h = ReplicationHarness.plain()
        let logfile = h.root + "/postgresql.log"
        ReplicationHarness.write(logfile, "LOG:  earlier\n")
        #expect(mkdir(h.root + "/run", 0o755) == 0 && chmod(h.root + "/run", 0o755) == 0)
        #expect(mkdir(h.root + "/stats", 0o700) == 0)
        h.environment["OCF_RESKEY_logfile"] = logfile
        h.environment["OCF_RESKEY_socketdir"] = h.root + "/run"
        ReplicationHarness.write(h.pgdata + "/postgresql.conf", "stats_temp_directory = '\(h.root)/stats'\n")
        try FilePreparation(context: h.agentContext(.start)).prepareForStart()
        #expect(ReplicationHarness.contents(of: logfile) == "LOG:  earlier\n")
        #expect(FilePreparationTests.mode(h.root + "/run") == 0o755)
    }

    @Test(arguments: ["logfile", "socketdir", "stats_temp_directory"])
    func aPathThatCannotBeMadeIsAnExitReason(_ what: String) throws {
        let h = ReplicationHarness.plain()
        let path = h.root + "/missing/" + what
        switch what {
        case "logfile": h.environment["OCF_RESKEY_logfile"] = path
        case "socketdir": h.environment["OCF_RESKEY_socketdir"] = path
        default: ReplicationHarness.write(h.pgdata + "/postgresql.conf", "stats_temp_directory = '\(path)'\n")
        }
        let me = try #require(UserAccount.current)
        let error = #expect(throws: ActionFailure.self) {
            try FilePreparation(context: h.agentContext(.start)).prepareForStart()
        }
        #expect(error?.code == .insufficientPrivilege)
        let reason = error?.reason ?? ""
        switch what {
        case "logfile": #expect(reason.hasPrefix("Can't create the log file \(path): "), "\(reason)")
        case "socketdir": #expect(reason.hasPrefix("Can't create directory \(path): "), "\(reason)")
        default: #expect(reason == "Can't create directory \(path) as \(me.name): No such file or directory")
        }
        #expect(!TextFile.exists(path))
    }
}
