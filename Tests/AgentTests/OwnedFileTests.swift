#if canImport(Glibc)
    import Glibc
#endif
import Exec
import Postgres
import Testing

/// Files the agent keeps in tmpdir: atomic replacement, owner and mode.
@Suite struct OwnedFileTests {
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
        try OwnedFile.remove(dir + "/PGSQL.lock")
        try OwnedFile.remove(dir + "/PGSQL.lock")
        #expect(!TextFile.exists(dir + "/PGSQL.lock"))
    }

    @Test func aDirectoryInTheWayIsAnError() throws {
        let dir = try scratch()
        let me = try #require(UserAccount.current)
        #expect(mkdir(dir + "/f.pgsql-swift.tmp", 0o700) == 0)
        #expect(throws: OwnedFile.Failure.self) { try OwnedFile.write(dir + "/f", "x", owner: me) }
    }
}
