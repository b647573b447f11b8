#if canImport(Glibc)
    import Glibc
#endif
import Postgres
import Testing

/// Reads of files pgdba controls.
///
/// A FIFO never blocks, a link is not followed unless asked, and only regular files are read. Every
/// read that could block runs bounded (``BoundedCall``).
@Suite struct TextFileTests {
    @Test func aFIFOIsNotReadAndDoesNotBlock() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let fifo = try dir.fifo("PG_VERSION")
        let outcome = try #require(BoundedCall.run(unblock: { Scratch.release(fifo) }) { TextFile.contents(fifo) })
        #expect(!outcome.blocked, "reading a FIFO blocked until its other end was opened")
        #expect(outcome.value == .failure(.notRegular(.fifo)))
    }

    @Test func aFIFOWithAWriterIsNotReadEither() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let fifo = try dir.fifo("rep_mode.conf")
        // Someone holds the FIFO open: open(2) would succeed and read(2) wait for data. Closing the
        // only writer gives a blocked reader end-of-file.
        var holder = open(fifo, O_RDWR | O_NONBLOCK)
        try #require(holder >= 0)
        defer { if holder >= 0 { close(holder) } }
        let outcome = try #require(
            BoundedCall.run(unblock: {
                close(holder)
                holder = -1
            }) { TextFile.read(fifo) })
        #expect(!outcome.blocked, "reading a FIFO with a writer blocked until data came")
        #expect(outcome.value == nil)
    }

    @Test func aLinkIsNotFollowedUnlessAsked() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let target = try dir.file("target", "15\n")
        let link = try dir.link("PG_VERSION", to: target)
        #expect(TextFile.read(link) == nil)
        #expect(TextFile.contents(link) == .failure(.notRegular(.symbolicLink)))
        #expect(TextFile.read(link, followLinks: true) == "15\n")
        #expect(TextFile.read(target) == "15\n")
    }

    @Test func followingALinkToAFIFODoesNotBlock() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let fifo = try dir.fifo("real.conf")
        let link = try dir.link("postgresql.conf", to: fifo)
        let outcome = try #require(
            BoundedCall.run(unblock: { Scratch.release(fifo) }) { TextFile.contents(link, followLinks: true) })
        #expect(!outcome.blocked)
        #expect(outcome.value == .failure(.notRegular(.fifo)))
    }

    @Test func missingDirectoriesAndDanglingLinksAreTold() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        #expect(TextFile.contents(dir.path + "/none") == .failure(.missing))
        #expect(TextFile.contents(dir.path + "/none", followLinks: true) == .failure(.missing))
        #expect(TextFile.contents(dir.path) == .failure(.notRegular(.directory)))
        let dangling = try dir.link("dangling", to: dir.path + "/none")
        #expect(TextFile.contents(dangling, followLinks: true) == .failure(.unreadable(ENOENT)))
        #expect(TextFile.contents(dangling) == .failure(.notRegular(.symbolicLink)))
    }

    @Test func tailReadsRegularFilesOnly() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let log = try dir.file("postgresql.log", "one\ntwo\n\nthree\n")
        let fifo = try dir.fifo("fifo.log")
        let link = try dir.link("link.log", to: log)
        #expect(TextFile.tail(log, maxLines: 2) == ["two", "three"])
        let outcome = try #require(
            BoundedCall.run(unblock: { Scratch.release(fifo) }) { TextFile.tail(fifo, maxLines: 2) })
        #expect(!outcome.blocked)
        #expect(outcome.value.isEmpty)
        #expect(TextFile.tail(link, maxLines: 2).isEmpty)
        #expect(TextFile.tail(link, maxLines: 2, followLinks: true) == ["two", "three"])
        #expect(TextFile.tail("/dev/null", maxLines: 2, followLinks: true).isEmpty)
    }

    @Test func entryTypesAreLookedAtWithoutFollowing() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let fifo = try dir.fifo("xlog_note.1")
        let file = try dir.file("xlog_note.0", "x")
        let link = try dir.link("xlog_note.2", to: file)
        #expect(TextFile.exists(fifo) && !TextFile.isRegularFile(fifo))
        #expect(TextFile.exists(link) && !TextFile.isRegularFile(link))
        #expect(TextFile.exists(file) && TextFile.isRegularFile(file))
        #expect(FileKind.of(fifo) == .fifo)
        #expect(FileKind.of(link) == .symbolicLink)
        #expect(FileKind.of(dir.path + "/none") == nil)
    }

    @Test func theVersionOfADataDirectoryWithAFIFOIsUnknown() throws {
        let dir = try Scratch("pgdata")
        defer { dir.remove() }
        let fifo = try dir.fifo("PG_VERSION")
        let outcome = try #require(
            BoundedCall.run(unblock: { Scratch.release(fifo) }) { PostgresVersion.ofDataDirectory(dir.path) })
        #expect(!outcome.blocked, "PG_VERSION as a FIFO blocked the read")
        #expect(outcome.value == nil)
        unlink(fifo)
        _ = try dir.file("PG_VERSION", "15\n")
        #expect(PostgresVersion.ofDataDirectory(dir.path) == PostgresVersion(major: 15))
    }
}
