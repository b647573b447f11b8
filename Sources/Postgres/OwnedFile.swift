#if canImport(Glibc)
    import Glibc
#endif
public import Exec

/// Files the agent keeps for pgdba (tmpdir notes, recovery.conf, rep_mode.conf, the lock, signals):
/// written atomically (a temporary file in the same directory, then rename), owned by pgdba.
///
/// tmpdir, PGDATA and the configuration file are pgdba's: pgdba can put a link or a FIFO in place of
/// any file or directory there. So files are written, appended to and removed with pgdba's effective
/// identity (``EffectiveUser/strictly(as:_:)``; never as root when the switch fails): whatever links
/// the path holds, the kernel checks pgdba's permissions, and nothing pgdba could not write itself is
/// touched. Directories that root has to create or hand over (tmpdir, the socket directory) are
/// changed through a descriptor opened with `O_NOFOLLOW`, never through a link.
public enum OwnedFile {
    public struct Failure: Error, Equatable, Sendable {
        public let path: String
        public let operation: String
        public let errno: Int32
        /// A sentence that replaces the errno text ("/x is a symbolic link, not a directory").
        public var detail: String? = nil

        public var message: String {
            detail ?? "\(operation) \(path) failed: \(String(cString: strerror(errno)))"
        }
    }

    /// Replaces `path` with `content` (mode `mode`, owner pgdba), atomically, with `owner`'s identity.
    public static func write(_ path: String, _ content: String, owner: UserAccount, mode: mode_t = 0o600)
        throws(Failure)
    {
        try asOwner(owner, path) { () throws(Failure) in try replace(path, content, owner: owner, mode: mode) }
    }

    /// Creates an empty file unless a regular file is there (owner pgdba).
    ///
    /// Anything else at the path (a FIFO, a link, a socket) is replaced by the new file; the rename
    /// never follows a link.
    public static func touch(_ path: String, owner: UserAccount, mode: mode_t = 0o600) throws(Failure) {
        if TextFile.isRegularFile(path) { return }
        try write(path, "", owner: owner, mode: mode)
    }

    /// Removes a file, with `owner`'s identity; a missing file is fine.
    public static func remove(_ path: String, owner: UserAccount) throws(Failure) {
        try asOwner(owner, path) { () throws(Failure) in
            if unlink(path) != 0 && errno != ENOENT { throw Failure(path: path, operation: "remove", errno: errno) }
        }
    }

    /// Appends `text` to the regular file at `path` with `owner`'s identity.
    ///
    /// A symbolic link is kept: the file it leads to is appended to (resolved once, then opened with
    /// `O_NOFOLLOW`), and keeps its inode, owner and mode. A FIFO or a device is refused without
    /// blocking; a write that fails half-way is cut back to the old size.
    public static func append(_ text: String, to path: String, owner: UserAccount) throws(Failure) {
        try asOwner(owner, path) { () throws(Failure) in
            guard let resolved = realpath(path, nil) else {
                throw Failure(path: path, operation: "resolve", errno: errno)
            }
            let target = String(cString: resolved)
            free(resolved)
            var before = stat()
            guard stat(target, &before) == 0 else { throw Failure(path: target, operation: "stat", errno: errno) }
            guard FileKind(mode: before.st_mode) == .regular else {
                throw notRegular(target, FileKind(mode: before.st_mode))
            }
            let fd = open(target, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { throw Failure(path: target, operation: "open", errno: errno) }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw Failure(path: target, operation: "stat", errno: errno) }
            guard FileKind(mode: info.st_mode) == .regular else {
                throw notRegular(target, FileKind(mode: info.st_mode))
            }
            if let code = writeAll(fd, Array(text.utf8)) ?? (fsync(fd) == 0 ? nil : errno) {
                _ = ftruncate(fd, info.st_size)
                throw Failure(path: target, operation: "append to", errno: code)
            }
        }
    }

    /// `mkdir -p`, then owner pgdba and the mode: the shell agent's tmpdir rule.
    ///
    /// Owner and mode are changed through a descriptor of the directory itself:
    /// - anything but a directory at `path` (a symbolic link above all) is refused;
    /// - a directory of pgdba is kept; a directory of root is given to pgdba unless it is shared
    ///   (world-writable or sticky, like `/tmp`); a directory of any other account is refused.
    public static func directory(_ path: String, owner: UserAccount, mode: mode_t = 0o700) throws(Failure) {
        if mkdir(path, mode) != 0 && errno != EEXIST {
            // Create missing parents too.
            var prefix = ""
            for part in path.split(separator: "/") {
                prefix += "/" + part
                if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                    throw Failure(path: prefix, operation: "mkdir", errno: errno)
                }
            }
        }
        let fd = try openDirectory(path)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(path: path, operation: "stat", errno: errno) }
        if info.st_uid != owner.uid {
            guard info.st_uid == 0 else {
                throw Failure(
                    path: path, operation: "chown", errno: EPERM,
                    detail: "\(path) belongs to uid \(info.st_uid), neither to \(owner.name) nor to root")
            }
            guard info.st_mode & 0o1002 == 0 else {
                throw Failure(
                    path: path, operation: "chown", errno: EPERM,
                    detail: "\(path) is a shared directory of root (sticky or world-writable); it is not given to"
                        + " \(owner.name)")
            }
            guard fchown(fd, owner.uid, owner.gid) == 0 else {
                throw Failure(path: path, operation: "chown", errno: errno)
            }
        }
        if info.st_mode & 0o7777 != mode, fchmod(fd, mode) != 0 {
            throw Failure(path: path, operation: "chmod", errno: errno)
        }
    }

    /// Creates the directory `path` (it must not exist yet) and gives it to `owner` with `mode`.
    ///
    /// For root's own directories (the socket directory): owner and mode are changed through the
    /// new directory's descriptor.
    public static func makeDirectory(_ path: String, owner: UserAccount, mode: mode_t) throws(Failure) {
        guard mkdir(path, 0o700) == 0 else { throw Failure(path: path, operation: "mkdir", errno: errno) }
        let fd = try openDirectory(path)
        defer { close(fd) }
        guard fchown(fd, owner.uid, owner.gid) == 0 else { throw Failure(path: path, operation: "chown", errno: errno) }
        guard fchmod(fd, mode) == 0 else { throw Failure(path: path, operation: "chmod", errno: errno) }
    }

    /// Runs `body` with `owner`'s effective identity; never as root.
    static func asOwner<T>(_ owner: UserAccount, _ path: String, _ body: () throws(Failure) -> T) throws(Failure) -> T {
        let outcome = EffectiveUser.strictly(as: owner) { Result { () throws(Failure) in try body() } }
        guard let outcome else { throw Failure(path: path, operation: "switch to \(owner.name) for", errno: EPERM) }
        return try outcome.get()
    }

    /// A descriptor of the directory at `path` itself: a link there is refused, not followed.
    static func openDirectory(_ path: String) throws(Failure) -> Int32 {
        if let kind = FileKind.of(path), kind != .directory {
            throw Failure(path: path, operation: "open", errno: ENOTDIR, detail: "\(path) is \(kind), not a directory")
        }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP || code == ENOTDIR {
                throw Failure(path: path, operation: "open", errno: code, detail: "\(path) is not a directory")
            }
            throw Failure(path: path, operation: "open", errno: code)
        }
        return fd
    }

    private static func replace(_ path: String, _ content: String, owner: UserAccount, mode: mode_t) throws(Failure) {
        let temporary = path + ".pgsql-swift.tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw Failure(path: temporary, operation: "create", errno: errno) }
        var failedErrno = writeAll(fd, Array(content.utf8))
        if failedErrno == nil && fchown(fd, owner.uid, owner.gid) != 0 && getuid() == 0 { failedErrno = errno }
        if failedErrno == nil && fchmod(fd, mode) != 0 { failedErrno = errno }
        if failedErrno == nil && fsync(fd) != 0 { failedErrno = errno }
        close(fd)
        if let failedErrno {
            unlink(temporary)
            throw Failure(path: path, operation: "write", errno: failedErrno)
        }
        // rename(2) replaces whatever entry is at `path` (a link itself, not its target).
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Failure(path: path, operation: "rename to", errno: code)
        }
    }

    /// Writes every byte; the errno of a failed write, or `nil`.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                raw.baseAddress.map { Glibc.write(fd, $0 + written, raw.count - written) } ?? 0
            }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            written += n
        }
        return nil
    }

    private static func notRegular(_ path: String, _ kind: FileKind) -> Failure {
        Failure(path: path, operation: "append to", errno: EINVAL, detail: "\(path) is \(kind), not a regular file")
    }
}
