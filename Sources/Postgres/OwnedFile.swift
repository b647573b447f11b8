#if canImport(Glibc)
    import Glibc
#endif
public import Exec

/// Files the agent keeps for pgdba (tmpdir notes, recovery.conf, rep_mode.conf, the lock, signals):
/// written atomically (a temporary file in the same directory, then rename), owned by pgdba.
public enum OwnedFile {
    public struct Failure: Error, Equatable, Sendable {
        public let path: String
        public let operation: String
        public let errno: Int32

        public var message: String {
            "\(operation) \(path) failed: \(String(cString: strerror(errno)))"
        }
    }

    /// Replaces `path` with `content` (mode `mode`, owner pgdba), atomically.
    public static func write(_ path: String, _ content: String, owner: UserAccount, mode: mode_t = 0o600)
        throws(Failure)
    {
        let temporary = path + ".pgsql-swift.tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw Failure(path: temporary, operation: "create", errno: errno) }
        var ok = true
        var failedErrno: Int32 = 0
        let bytes = Array(content.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                ok = false
                failedErrno = errno
                break
            }
            written += n
        }
        if ok && fchown(fd, owner.uid, owner.gid) != 0 && getuid() == 0 { ok = false; failedErrno = errno }
        if ok && fchmod(fd, mode) != 0 { ok = false; failedErrno = errno }
        if ok && fsync(fd) != 0 { ok = false; failedErrno = errno }
        close(fd)
        guard ok else {
            unlink(temporary)
            throw Failure(path: path, operation: "write", errno: failedErrno)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Failure(path: path, operation: "rename to", errno: code)
        }
    }

    /// Creates an empty file if it does not exist (owner pgdba).
    public static func touch(_ path: String, owner: UserAccount, mode: mode_t = 0o600) throws(Failure) {
        if access(path, F_OK) == 0 { return }
        try write(path, "", owner: owner, mode: mode)
    }

    /// Removes a file; a missing file is fine.
    public static func remove(_ path: String) throws(Failure) {
        if unlink(path) != 0 && errno != ENOENT { throw Failure(path: path, operation: "remove", errno: errno) }
    }

    /// `mkdir -p` of the last component, then owner pgdba and the mode (the shell agent's tmpdir rule).
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
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw Failure(path: path, operation: "mkdir", errno: ENOTDIR)
        }
        if info.st_uid != owner.uid, chown(path, owner.uid, owner.gid) != 0 {
            throw Failure(path: path, operation: "chown", errno: errno)
        }
        if info.st_mode & 0o7777 != mode, chmod(path, mode) != 0 {
            throw Failure(path: path, operation: "chmod", errno: errno)
        }
    }
}
