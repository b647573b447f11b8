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
/// touched. Directories and the log file that root creates (tmpdir, the socket directory, the log)
/// are reached from `/` without links pgdba could have planted (``WalkedDirectory``), created with
/// pgdba's identity wherever pgdba or anyone else could swap an entry above them, and chowned only
/// when root created them, through their descriptor.
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

    /// tmpdir: `mkdir -p`, owner pgdba, mode `mode`; never a chown of a directory that exists.
    ///
    /// The path is walked from `/` (``WalkedDirectory``): no link pgdba could have planted is
    /// followed. Missing directories are created with `mkdirat` on the parent's descriptor: by root
    /// while every directory above is root's alone, else with pgdba's identity (then pgdba owns
    /// them without any chown). Only the directory this call created is chowned, through its
    /// descriptor. An existing tmpdir must be pgdba's (its mode is fixed with pgdba's identity);
    /// one of root or another account is refused, untouched: `chown pgdba DIR` is the operator's
    /// call (a typo such as `tmpdir=/var/lib` must not give `/var/lib` away).
    public static func directory(_ path: String, owner: UserAccount, mode: mode_t = 0o700) throws(Failure) {
        let (above, name) = try WalkedDirectory.split(path)
        let parent = try WalkedDirectory.open(above, creatingFor: owner)
        let fd = try openOrCreateDirectory(parent, name, path, owner: owner, mode: mode, existing: .keepIfOwned)
        close(fd)
    }

    /// The socket directory: created (it must not exist yet) in a parent reached without links
    /// pgdba controls, given to `owner` with `mode`.
    ///
    /// Under a root-controlled parent root makes it and changes owner and mode through the new
    /// directory's descriptor; under any other parent pgdba makes it, and root chowns nothing.
    public static func makeDirectory(_ path: String, owner: UserAccount, mode: mode_t) throws(Failure) {
        let (above, name) = try WalkedDirectory.split(path)
        let parent = try WalkedDirectory.open(above)
        let fd = try openOrCreateDirectory(parent, name, path, owner: owner, mode: mode, existing: .refuse)
        close(fd)
    }

    /// A new empty file, owner pgdba; `false` when something exists there already.
    ///
    /// `O_CREAT|O_EXCL|O_NOFOLLOW` on a parent reached without links pgdba controls: created by root
    /// and chowned through its descriptor under a root-controlled parent, else with pgdba's identity.
    @discardableResult
    public static func createFile(_ path: String, owner: UserAccount, mode: mode_t = 0o600) throws(Failure) -> Bool {
        let (above, name) = try WalkedDirectory.split(path)
        let parent = try WalkedDirectory.open(above)
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC
        let create = { () -> (fd: Int32, errno: Int32) in
            let fd = openat(parent.fd, name, flags, mode)
            return (fd, fd >= 0 ? 0 : errno)
        }
        let (fd, code) = parent.rootControlled ? create() : try asOwner(owner, path) { create() }
        if fd < 0 {
            if code == EEXIST { return false }
            throw Failure(path: path, operation: "create", errno: code)
        }
        defer { close(fd) }
        if parent.rootControlled, owner.uid != 0, fchown(fd, owner.uid, owner.gid) != 0 {
            throw Failure(path: path, operation: "chown", errno: errno)
        }
        return true
    }

    enum Existing { case keepIfOwned, refuse }

    /// A descriptor of the directory `name` in `parent` (a link is refused), created for `owner`.
    ///
    /// Only a directory created here is chowned by root.
    private static func openOrCreateDirectory(
        _ parent: borrowing WalkedDirectory, _ name: String, _ path: String, owner: UserAccount, mode: mode_t,
        existing: Existing
    ) throws(Failure) -> Int32 {
        let asRoot = parent.rootControlled || owner.uid == 0
        var made = WalkedDirectory.kindOf(parent.fd, name) == nil ? 0 : EEXIST
        if made == 0 {
            made =
                asRoot
                ? (mkdirat(parent.fd, name, 0o700) == 0 ? 0 : errno)
                : try asOwner(owner, path) { mkdirat(parent.fd, name, 0o700) == 0 ? 0 : errno }
        }
        guard made == 0 || made == EEXIST else { throw Failure(path: path, operation: "mkdir", errno: made) }
        if made == EEXIST && existing == .refuse {
            throw Failure(path: path, operation: "mkdir", errno: EEXIST)
        }
        let fd = openat(parent.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP || code == ENOTDIR, let kind = WalkedDirectory.kindOf(parent.fd, name) {
                throw Failure(path: path, operation: "open", errno: code, detail: "\(path) is \(kind), not a directory")
            }
            throw Failure(path: path, operation: "open", errno: code)
        }
        do throws(Failure) {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw Failure(path: path, operation: "stat", errno: errno) }
            if made == 0 {
                // The entry mkdirat made: the parent is root's alone (nobody could swap it), or it was
                // made with pgdba's identity and needs no chown.
                let maker = asRoot ? uid_t(0) : owner.uid
                guard info.st_uid == maker else {
                    throw Failure(
                        path: path, operation: "chown", errno: EPERM,
                        detail: "\(path) was replaced while it was created; nothing was changed")
                }
                if asRoot && owner.uid != 0 && fchown(fd, owner.uid, owner.gid) != 0 {
                    throw Failure(path: path, operation: "chown", errno: errno)
                }
            } else if info.st_uid != owner.uid {
                let holder = info.st_uid == 0 ? "root" : "uid \(info.st_uid)"
                throw Failure(
                    path: path, operation: "chown", errno: EPERM,
                    detail: "\(path) exists and belongs to \(holder), not to \(owner.name); it is not taken over"
                        + " (if it is meant for \(owner.name): chown \(owner.name) \(path))")
            }
            if made == 0 || info.st_mode & 0o7777 != mode {
                let changed = try asOwner(owner, path) { fchmod(fd, mode) == 0 ? 0 : errno }
                if changed != 0 { throw Failure(path: path, operation: "chmod", errno: changed) }
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Runs `body` with `owner`'s effective identity; never as root.
    static func asOwner<T>(_ owner: UserAccount, _ path: String, _ body: () throws(Failure) -> T) throws(Failure) -> T {
        let outcome = EffectiveUser.strictly(as: owner) { Result { () throws(Failure) in try body() } }
        guard let outcome else { throw Failure(path: path, operation: "switch to \(owner.name) for", errno: EPERM) }
        return try outcome.get()
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
        // The new name is durable only once the directory is: a lock touched before a promote must
        // survive a power loss.
        let directory = open(parentPath(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw Failure(path: path, operation: "open the directory of", errno: errno) }
        defer { close(directory) }
        guard fsync(directory) == 0 else {
            throw Failure(path: path, operation: "fsync the directory of", errno: errno)
        }
    }

    static func parentPath(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
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
