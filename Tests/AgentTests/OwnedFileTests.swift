#if canImport(Glibc)
    import Glibc
#endif
import Exec
import Postgres
import Testing

/// Files the agent keeps in tmpdir: atomic replacement, owner and mode; nothing is changed through a
/// link, and a FIFO never blocks.
@Suite struct OwnedFileTests {
    /// Changing owners needs root; `nobody` stands in for pgdba (directories are handed over by root,
    /// or refused, without switching identity, so the process-wide seteuid never happens in these
    /// tests; see ``WalkedDirectoryTests`` for what is done with pgdba's identity).
    static var canChangeOwners: Bool { geteuid() == 0 && UserAccount.named("nobody") != nil }

    func scratch() throws -> String {
        var template = Array("/tmp/pgsql-swift-owned-XXXXXX".utf8CString)
        let dir = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) })
        return String(cString: dir)
    }

    @Test func writeReplacesAtomicallyWithModeAndOwner() throws {
        let dir = try scratch()
        let me = try #require(UserAccount.current)
        let path = dir + "/rep_mode.conf"
        try OwnedFile.write(path, "synchronous_standby_names = ''\n", owner: me)
        try OwnedFile.write(path, "synchronous_standby_names = '\"pgn2\"'\n", owner: me)
        #expect(TextFile.read(path) == "synchronous_standby_names = '\"pgn2\"'\n")
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_uid == me.uid)
        #expect(!TextFile.exists(path + ".pgsql-swift.tmp"), "no temporary file left behind")
    }

    @Test func directoryIsCreatedWithMode0700AndTouchKeepsContent() throws {
        let dir = try scratch() + "/a/b"
        let me = try #require(UserAccount.current)
        try OwnedFile.directory(dir, owner: me)
        var info = stat()
        #expect(stat(dir, &info) == 0 && info.st_mode & 0o777 == 0o700)
        try OwnedFile.write(dir + "/PGSQL.lock", "x", owner: me)
        try OwnedFile.touch(dir + "/PGSQL.lock", owner: me)
        #expect(TextFile.read(dir + "/PGSQL.lock") == "x")
        try OwnedFile.remove(dir + "/PGSQL.lock", owner: me)
        try OwnedFile.remove(dir + "/PGSQL.lock", owner: me)
        #expect(!TextFile.exists(dir + "/PGSQL.lock"))
    }

    @Test func aDirectoryInTheWayIsAnError() throws {
        let dir = try scratch()
        let me = try #require(UserAccount.current)
        #expect(mkdir(dir + "/f.pgsql-swift.tmp", 0o700) == 0)
        #expect(throws: OwnedFile.Failure.self) { try OwnedFile.write(dir + "/f", "x", owner: me) }
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func aSymbolicLinkAsTmpdirIsRefusedAndItsTargetKeepsItsOwner() throws {
        let dir = try Scratch("owned")
        defer { dir.remove() }
        let nobody = try #require(UserAccount.named("nobody"))
        let target = try dir.directory("etc", mode: 0o755)
        let tmpdir = try dir.link("tmp", to: target)
        let failure = #expect(throws: OwnedFile.Failure.self) { try OwnedFile.directory(tmpdir, owner: nobody) }
        #expect(failure?.message.contains("symbolic link") == true)
        let info = try #require(Scratch.info(target))
        #expect(info.st_uid == 0, "the link's target was given to pgdba")
        #expect(info.st_mode & 0o7777 == 0o755)
        #expect(FileKind.of(tmpdir) == .symbolicLink)
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func anExistingRootDirectoryIsNotGivenToPgdbaButOnePgdbaOwnsIsKept() throws {
        let dir = try Scratch("owned")
        defer { dir.remove() }
        let nobody = try #require(UserAccount.named("nobody"))
        let tmpdir = try dir.directory("tmp", mode: 0o755)
        #expect(throws: OwnedFile.Failure.self) { try OwnedFile.directory(tmpdir, owner: nobody) }
        var info = try #require(Scratch.info(tmpdir))
        #expect(info.st_uid == 0 && info.st_mode & 0o7777 == 0o755)
        try #require(chown(tmpdir, nobody.uid, nobody.gid) == 0 && chmod(tmpdir, 0o700) == 0)
        try OwnedFile.directory(tmpdir, owner: nobody)
        info = try #require(Scratch.info(tmpdir))
        #expect(info.st_uid == nobody.uid && info.st_mode & 0o7777 == 0o700)
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func sharedAndForeignDirectoriesAreNotTaken() throws {
        let dir = try Scratch("owned")
        defer { dir.remove() }
        let nobody = try #require(UserAccount.named("nobody"))
        let shared = try dir.directory("shared", mode: 0o1777)
        #expect(throws: OwnedFile.Failure.self) { try OwnedFile.directory(shared, owner: nobody) }
        let sharedInfo = try #require(Scratch.info(shared))
        #expect(sharedInfo.st_uid == 0 && sharedInfo.st_mode & 0o7777 == 0o1777)
        let foreign = try dir.directory("foreign", mode: 0o700)
        try #require(chown(foreign, 4242, 4242) == 0)
        #expect(throws: OwnedFile.Failure.self) { try OwnedFile.directory(foreign, owner: nobody) }
        #expect(Scratch.info(foreign)?.st_uid == 4242)
        let file = try dir.file("file", "")
        #expect(throws: OwnedFile.Failure.self) { try OwnedFile.directory(file, owner: nobody) }
    }

    @Test(.enabled(if: canChangeOwners, "needs root"))
    func theSocketDirectoryIsMadeNewAndHandedOverThroughItsDescriptor() throws {
        let dir = try Scratch("owned", in: "/run")
        defer { dir.remove() }
        let nobody = try #require(UserAccount.named("nobody"))
        let run = dir.path + "/run"
        try OwnedFile.makeDirectory(run, owner: nobody, mode: 0o2775)
        let info = try #require(Scratch.info(run))
        #expect(info.st_uid == nobody.uid && info.st_mode & 0o7777 == 0o2775)
        let target = try dir.directory("elsewhere", mode: 0o755)
        let link = try dir.link("run2", to: target)
        #expect(throws: OwnedFile.Failure.self) { try OwnedFile.makeDirectory(link, owner: nobody, mode: 0o2775) }
        let targetInfo = try #require(Scratch.info(target))
        #expect(targetInfo.st_uid == 0 && targetInfo.st_mode & 0o7777 == 0o755)
    }

    @Test func touchReplacesAFIFOByARegularFile() throws {
        let dir = try Scratch("owned")
        defer { dir.remove() }
        let me = try #require(UserAccount.current)
        let fifo = try dir.fifo("standby.signal")
        try OwnedFile.touch(fifo, owner: me)
        #expect(FileKind.of(fifo) == .regular)
        let link = try dir.link("PGSQL.lock", to: dir.path + "/none")
        try OwnedFile.touch(link, owner: me)
        #expect(FileKind.of(link) == .regular)
        #expect(!TextFile.exists(dir.path + "/none"), "the dangling link's target was created")
    }

    @Test func writeReplacesALinkNotItsTarget() throws {
        let dir = try Scratch("owned")
        defer { dir.remove() }
        let me = try #require(UserAccount.current)
        let target = try dir.file("victim", "keep")
        let link = try dir.link("rep_mode.conf", to: target)
        try OwnedFile.write(link, "new", owner: me)
        #expect(TextFile.read(target) == "keep")
        #expect(FileKind.of(link) == .regular)
        #expect(TextFile.read(link) == "new")
    }

    @Test func appendKeepsALinkAndWritesTheFileItLeadsTo() throws {
        let dir = try Scratch("owned")
        defer { dir.remove() }
        let me = try #require(UserAccount.current)
        let target = try dir.file("postgresql.conf", "port = 5432")
        try #require(chmod(target, 0o640) == 0)
        let link = try dir.link("config", to: target)
        try OwnedFile.append("\ninclude 'x'\n", to: link, owner: me)
        #expect(FileKind.of(link) == .symbolicLink)
        #expect(TextFile.read(target) == "port = 5432\ninclude 'x'\n")
        #expect(Scratch.info(target).map { $0.st_mode & 0o7777 } == 0o640)
    }

    @Test func appendRefusesAFIFOWithoutBlocking() throws {
        let dir = try Scratch("owned")
        defer { dir.remove() }
        let me = try #require(UserAccount.current)
        let fifo = try dir.fifo("real.conf")
        let link = try dir.link("postgresql.conf", to: fifo)
        // A writer blocked in open(2) is released by a reader, kept open so that its write cannot
        // raise SIGPIPE.
        var reader: Int32 = -1
        defer { if reader >= 0 { close(reader) } }
        let outcome = try #require(
            BoundedCall.run(unblock: { reader = open(fifo, O_RDONLY | O_NONBLOCK) }) {
                Result { () throws(OwnedFile.Failure) in try OwnedFile.append("x\n", to: link, owner: me) }
            })
        #expect(!outcome.blocked, "appending to a FIFO blocked")
        #expect(throws: OwnedFile.Failure.self) { try outcome.value.get() }
    }
}
