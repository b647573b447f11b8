#if canImport(Glibc)
    import Glibc
#endif
import Exec
import Postgres
import Testing

/// Root creates tmpdir, the socket directory and the log file only through directories reached from
/// `/` without links pgdba could have planted, and chowns only what it created.
///
/// `nobody` stands in for pgdba. The scratch directories are in `/run` (root's alone, like the
/// directories above a root-configured path); "home" is nobody's, as pgdba's home is. Work done
/// with nobody's identity switches the whole process, so it runs in an exit test (a process of its own).
@Suite struct WalkedDirectoryTests {
    static var canChangeOwners: Bool { geteuid() == 0 && UserAccount.named("nobody") != nil }

    /// A root scratch directory in /run with `home` (nobody's, 0755) and `victim` (root's, 0755) in it.
    static func layout() throws -> (scratch: Scratch, home: String, victim: String) {
        let scratch = try Scratch("walk", in: "/run")
        try #require(chmod(scratch.path, 0o755) == 0)
        let nobody = try #require(UserAccount.named("nobody"))
        let home = try scratch.directory("home", mode: 0o755)
        try #require(chown(home, nobody.uid, nobody.gid) == 0)
        let victim = try scratch.directory("victim", mode: 0o755)
        return (scratch, home, victim)
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func aTypoTmpdirOnAnExistingRootDirectoryIsRefusedAndUntouched() throws {
        let (scratch, _, victim) = try Self.layout()
        defer { scratch.remove() }
        let nobody = try #require(UserAccount.named("nobody"))
        let failure = #expect(throws: OwnedFile.Failure.self) { try OwnedFile.directory(victim, owner: nobody) }
        #expect(failure?.message.contains("chown nobody \(victim)") == true, "\(failure?.message ?? "")")
        let info = try #require(Scratch.info(victim))
        #expect(info.st_uid == 0 && info.st_mode & 0o7777 == 0o755, "an existing root directory was given away")
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func aNewTmpdirInRootsDirectoriesIsMadeByRootAndHandedOver() throws {
        let (scratch, _, _) = try Self.layout()
        defer { scratch.remove() }
        let nobody = try #require(UserAccount.named("nobody"))
        let tmpdir = scratch.path + "/pgsql/tmp"
        try OwnedFile.directory(tmpdir, owner: nobody)
        let info = try #require(Scratch.info(tmpdir))
        #expect(info.st_uid == nobody.uid && info.st_mode & 0o7777 == 0o700)
        #expect(Scratch.info(scratch.path + "/pgsql")?.st_uid == 0, "a parent root made was chowned")
        try OwnedFile.directory(tmpdir, owner: nobody)
        #expect(Scratch.info(tmpdir)?.st_uid == nobody.uid)
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func aTmpdirUnderPgdbasDirectoryIsCreatedAsPgdba() async throws {
        let (scratch, home, _) = try Self.layout()
        defer { scratch.remove() }
        let tmpdir = home + "/15/tmp"
        await #expect(processExitsWith: .success) { [tmpdir = tmpdir as String] in
            guard let nobody = UserAccount.named("nobody") else { exit(2) }
            do { try OwnedFile.directory(tmpdir, owner: nobody) } catch { exit(3) }
        }
        let nobody = try #require(UserAccount.named("nobody"))
        let parent = try #require(Scratch.info(home + "/15"))
        #expect(parent.st_uid == nobody.uid, "root created a directory in pgdba's home")
        let info = try #require(Scratch.info(tmpdir))
        #expect(info.st_uid == nobody.uid && info.st_mode & 0o7777 == 0o700)
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func aLinkInTheMiddleOfTmpdirIsNotFollowedToARootDirectory() throws {
        let (scratch, home, victim) = try Self.layout()
        defer { scratch.remove() }
        let nobody = try #require(UserAccount.named("nobody"))
        let inside = try scratch.directory("victim/tmp", mode: 0o755)
        // pgdba links its `15` to a directory of root.
        try #require(symlink(victim, home + "/15") == 0)
        let failure = #expect(throws: OwnedFile.Failure.self) {
            try OwnedFile.directory(home + "/15/tmp", owner: nobody)
        }
        #expect(failure?.message.contains("symbolic link") == true, "\(failure?.message ?? "")")
        let info = try #require(Scratch.info(inside))
        #expect(info.st_uid == 0 && info.st_mode & 0o7777 == 0o755, "root chowned the directory pgdba linked")
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func aLinkRootMadeInRootsDirectoryIsFollowed() throws {
        let (scratch, _, victim) = try Self.layout()
        defer { scratch.remove() }
        let nobody = try #require(UserAccount.named("nobody"))
        let link = try scratch.link("var-run", to: victim)  // like /var/run → /run
        try OwnedFile.makeDirectory(link + "/postgresql", owner: nobody, mode: 0o2775)
        let info = try #require(Scratch.info(victim + "/postgresql"))
        #expect(info.st_uid == nobody.uid && info.st_mode & 0o7777 == 0o2775)
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func aSocketdirWhoseParentPgdbaLinkedIsNotCreatedInTheTarget() throws {
        let (scratch, home, victim) = try Self.layout()
        defer { scratch.remove() }
        let nobody = try #require(UserAccount.named("nobody"))
        try #require(symlink(victim, home + "/run") == 0)
        #expect(throws: OwnedFile.Failure.self) {
            try OwnedFile.makeDirectory(home + "/run/socket", owner: nobody, mode: 0o2775)
        }
        #expect(FileKind.of(victim + "/socket") == nil, "root created pgdba's directory where pgdba's link led")
        let info = try #require(Scratch.info(victim))
        #expect(info.st_uid == 0 && info.st_mode & 0o7777 == 0o755)
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func aLogFileWhoseParentPgdbaLinkedIsNotCreatedInTheTarget() throws {
        let (scratch, home, victim) = try Self.layout()
        defer { scratch.remove() }
        let nobody = try #require(UserAccount.named("nobody"))
        try #require(symlink(victim, home + "/log") == 0)
        #expect(throws: OwnedFile.Failure.self) {
            try OwnedFile.createFile(home + "/log/postgresql.log", owner: nobody)
        }
        #expect(FileKind.of(victim + "/postgresql.log") == nil)
        // In root's own directory: made by root, handed over; an existing file is left alone.
        let log = scratch.path + "/postgresql.log"
        #expect(try OwnedFile.createFile(log, owner: nobody))
        #expect(Scratch.info(log).map { $0.st_uid == nobody.uid && $0.st_mode & 0o777 == 0o600 } == true)
        #expect(try !OwnedFile.createFile(log, owner: nobody))
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func aLogFileInPgdbasDirectoryIsCreatedAsPgdba() async throws {
        let (scratch, home, _) = try Self.layout()
        defer { scratch.remove() }
        let log = home + "/postgresql.log"
        await #expect(processExitsWith: .success) { [log = log as String] in
            guard let nobody = UserAccount.named("nobody") else { exit(2) }
            do { try OwnedFile.createFile(log, owner: nobody) } catch { exit(3) }
        }
        #expect(Scratch.info(log)?.st_uid == UserAccount.named("nobody")?.uid)
    }
}
