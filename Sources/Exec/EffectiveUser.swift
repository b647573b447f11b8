#if canImport(Glibc)
    import Glibc
#endif

/// Runs code with the effective uid, gid and groups of another account, then switches back.
///
/// The agent is single-threaded, so the switch affects nothing else. It is used where the kernel
/// looks at the caller's identity: a unix-socket connection (PostgreSQL `peer` authentication
/// records the effective uid at `connect()`) and permission checks with `faccessat(AT_EACCESS)`.
/// When the process is not root, or already runs as `user`, the body runs unchanged.
public enum EffectiveUser {
    public static func run<T>(as user: UserAccount, _ body: () throws -> T) rethrows -> T {
        guard geteuid() == 0, user.uid != 0 else { return try body() }
        var savedGroups = [gid_t](repeating: 0, count: 256)
        let savedCount = getgroups(Int32(savedGroups.count), &savedGroups)
        let savedGid = getegid()
        // A failed switch leaves the body running with root's identity; the checks it does are then
        // only as strict as root's, never stricter, so nothing is refused that should be allowed.
        _ = setgroups(user.groups.count, user.groups) == 0 && setegid(user.gid) == 0 && seteuid(user.uid) == 0
        defer {
            _ = seteuid(0)
            _ = setegid(savedGid)
            if savedCount >= 0 { _ = setgroups(Int(savedCount), savedGroups) }
        }
        return try body()
    }

    /// Runs `body` with `user`'s effective identity, or not at all: `nil` when the switch failed.
    ///
    /// For work that must never be done as root (creating or writing files in places `user`
    /// controls, where root would follow whatever links `user` planted). When the process is not
    /// root, or `user` is root, the body runs unchanged.
    public static func strictly<T>(as user: UserAccount, _ body: () -> T) -> T? {
        guard geteuid() == 0, user.uid != 0 else { return body() }
        var savedGroups = [gid_t](repeating: 0, count: 256)
        let savedCount = getgroups(Int32(savedGroups.count), &savedGroups)
        let savedGid = getegid()
        defer {
            _ = seteuid(0)
            _ = setegid(savedGid)
            if savedCount >= 0 { _ = setgroups(Int(savedCount), savedGroups) }
        }
        guard setgroups(user.groups.count, user.groups) == 0, setegid(user.gid) == 0, seteuid(user.uid) == 0,
            geteuid() == user.uid
        else { return nil }
        return body()
    }

    /// Whether `user` may access `path` in `mode` (`R_OK`, `W_OK`, `X_OK`, combined).
    public static func canAccess(_ path: String, mode: Int32, as user: UserAccount) -> Bool {
        run(as: user) { faccessat(AT_FDCWD, path, mode, AT_EACCESS) == 0 }
    }
}
