#if canImport(Glibc)
    import Glibc
#endif
import Exec
import Postgres
import Testing

/// pg_ctl opens `PG_VERSION` and `postmaster.pid` itself and blocks on a FIFO: it is not run then.
@Suite struct PgCtlGuardTests {
    /// A runner that records what it was asked to run.
    final class RecordingRunner: CommandRunner {
        var commands: [Command] = []

        func run(_ command: Command, until deadline: Deadline) throws(CommandError) -> CommandResult {
            commands.append(command)
            throw .launchFailed(executable: command.executable, errno: 0)
        }
    }

    func pgCtl(_ dataDirectory: String, _ runner: RecordingRunner) -> PgCtl {
        PgCtl(
            executable: "/usr/bin/pg_ctl", dataDirectory: dataDirectory,
            owner: .init(name: "postgres", uid: 1, gid: 1, home: "/", shell: "/bin/sh", groups: [1]),
            environment: [:], runner: runner)
    }

    @Test(arguments: ["PG_VERSION", "postmaster.pid"])
    func aFIFOInTheDataDirectoryKeepsPgCtlFromRunning(_ name: String) throws {
        let dir = try Scratch("pgdata")
        defer { dir.remove() }
        _ = try dir.fifo(name)
        let runner = RecordingRunner()
        let ctl = pgCtl(dir.path, runner)
        #expect(ctl.unsafeFile()?.contains("\(name) is a FIFO") == true)
        #expect(throws: PgCtl.Failure.unsafeFile(ctl.unsafeFile() ?? "")) {
            try ctl.stop(.fast, until: Deadline(after: .seconds(5)))
        }
        #expect(throws: PgCtl.Failure.self) { try ctl.promote(until: Deadline(after: .seconds(5))) }
        #expect(runner.commands.isEmpty, "pg_ctl was run")
    }

    @Test func regularFilesAndMissingOnesLetItRun() throws {
        let dir = try Scratch("pgdata")
        defer { dir.remove() }
        let runner = RecordingRunner()
        let ctl = pgCtl(dir.path, runner)
        #expect(ctl.unsafeFile() == nil)
        _ = try dir.file("PG_VERSION", "15\n")
        _ = try dir.file("postmaster.pid", "1\n")
        #expect(ctl.unsafeFile() == nil)
        #expect(throws: PgCtl.Failure.command(.launchFailed(executable: "/usr/bin/pg_ctl", errno: 0))) {
            try ctl.stop(.fast, until: Deadline(after: .seconds(5)))
        }
        #expect(runner.commands.map(\.arguments) == [["-W", "-D", dir.path, "stop", "-m", "fast"]])
    }

    @Test func aLinkAtPGVersionIsRefusedToo() throws {
        let dir = try Scratch("pgdata")
        defer { dir.remove() }
        let target = try dir.file("elsewhere", "15\n")
        _ = try dir.link("PG_VERSION", to: target)
        #expect(pgCtl(dir.path, RecordingRunner()).unsafeFile()?.contains("PG_VERSION is a symbolic link") == true)
    }
}
