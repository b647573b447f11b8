#if canImport(Glibc)
    import Glibc
#endif
import Exec

/// Small whole-file reads and tails, without Foundation.
///
/// The files the agent reads (`PG_VERSION`, `postmaster.pid`, tmpdir notes, `postgresql.conf`, the
/// server log) live in places the `pgdba` account controls, and the agent runs as root. A read must
/// neither block (a FIFO put in a file's place blocks `open(2)` until a writer appears, and a stop
/// that never returns means fencing) nor follow a link pgdba planted. So every read opens with
/// `O_NONBLOCK` and, unless the caller asks to follow links, `O_NOFOLLOW`; the entry is looked at
/// before it is opened (a device is never opened) and the descriptor after (`fstat`): only regular
/// files are read.
public enum TextFile {
    /// Why a file was not read.
    public enum ReadFailure: Error, Equatable, Sendable, CustomStringConvertible {
        /// No entry at that path.
        case missing
        /// The entry (or, when following links, its target) is not a regular file.
        case notRegular(FileKind)
        /// `open(2)` or `read(2)` failed with this errno.
        case unreadable(Int32)

        public var description: String {
            switch self {
            case .missing: "does not exist"
            case .notRegular(let kind): "is \(kind), not a regular file"
            case .unreadable(let code): "cannot be read (\(String(cString: strerror(code))))"
            }
        }
    }

    /// The file's contents as UTF-8 (invalid bytes repaired), reading at most `limit` bytes.
    ///
    /// - Parameter followLinks: read the target of a symbolic link (only for a path root configured
    ///   whose links are expected, e.g. `config`; callers do such reads with pgdba's identity).
    public static func contents(_ path: String, followLinks: Bool = false, limit: Int = 1 << 20)
        -> Result<String, ReadFailure>
    {
        let fd: Int32
        switch openRegular(path, followLinks: followLinks) {
        case .success(let descriptor): fd = descriptor
        case .failure(let failure): return .failure(failure)
        }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while data.count < limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                data.append(contentsOf: chunk.prefix(n))
            } else if n == 0 {
                break
            } else if errno != EINTR {
                return .failure(.unreadable(errno))
            }
        }
        return .success(String(decoding: data, as: UTF8.self))
    }

    /// The file's contents, or `nil` if it is missing, not a regular file or cannot be read.
    public static func read(_ path: String, followLinks: Bool = false, limit: Int = 1 << 20) -> String? {
        try? contents(path, followLinks: followLinks, limit: limit).get()
    }

    /// The last `maxLines` non-empty lines of a regular file, reading at most its last `maxBytes`.
    public static func tail(_ path: String, maxLines: Int, maxBytes: Int = 16384, followLinks: Bool = false)
        -> [String]
    {
        guard case .success(let fd) = openRegular(path, followLinks: followLinks) else { return [] }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return [] }
        let start = max(0, Int(info.st_size) - maxBytes)
        var data = [UInt8](repeating: 0, count: Int(info.st_size) - start)
        let n = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        guard n > 0 else { return [] }
        let text = String(decoding: data.prefix(n), as: UTF8.self)
        let lines = text.split(separator: "\n").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        return Array(lines.suffix(maxLines))
    }

    /// Whether a path exists (of any type; a link is not followed).
    public static func exists(_ path: String) -> Bool {
        FileKind.of(path) != nil
    }

    /// Whether a path is a regular file itself (not a link to one).
    public static func isRegularFile(_ path: String) -> Bool {
        FileKind.of(path) == .regular
    }

    /// Whether a path is a directory (following links).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// A read-only descriptor of the regular file at `path`, opened so that it cannot block.
    static func openRegular(_ path: String, followLinks: Bool) -> Result<Int32, ReadFailure> {
        // Look before opening: a FIFO, a socket or a device is never opened at all.
        var before = stat()
        if (followLinks ? stat(path, &before) : lstat(path, &before)) != 0 {
            let code = errno
            if code == ENOENT && FileKind.of(path) == nil { return .failure(.missing) }
            return .failure(.unreadable(code))
        }
        guard FileKind(mode: before.st_mode) == .regular else {
            return .failure(.notRegular(FileKind(mode: before.st_mode)))
        }
        // The entry may have been replaced since: O_NONBLOCK keeps a FIFO from blocking the open,
        // O_NOFOLLOW refuses a link, and fstat decides what was opened.
        let flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW)
        let fd = open(path, flags)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { return .failure(.notRegular(.symbolicLink)) }
            if code == ENOENT { return .failure(.missing) }
            return .failure(.unreadable(code))
        }
        var after = stat()
        guard fstat(fd, &after) == 0 else {
            let code = errno
            close(fd)
            return .failure(.unreadable(code))
        }
        guard FileKind(mode: after.st_mode) == .regular else {
            close(fd)
            return .failure(.notRegular(FileKind(mode: after.st_mode)))
        }
        return .success(fd)
    }
}
