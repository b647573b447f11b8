#if canImport(Glibc)
    import Glibc
#endif

/// An operating-system account, as `getpwnam(3)` and `getgrouplist(3)` describe it.
public struct UserAccount: Equatable, Sendable {
    public var name: String
    public var uid: uid_t
    public var gid: gid_t
    public var home: String
    public var shell: String
    /// Supplementary groups, including the primary group.
    public var groups: [gid_t]

    public init(name: String, uid: uid_t, gid: gid_t, home: String, shell: String, groups: [gid_t]) {
        self.name = name
        self.uid = uid
        self.gid = gid
        self.home = home
        self.shell = shell
        self.groups = groups
    }

    /// Looks an account up by name; `nil` when it does not exist.
    public static func named(_ name: String) -> UserAccount? {
        guard !name.isEmpty else { return nil }
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        let rc = getpwnam_r(name, &entry, &buffer, buffer.count, &result)
        guard rc == 0, result != nil else { return nil }
        let uid = entry.pw_uid
        let gid = entry.pw_gid
        let home = entry.pw_dir.map { String(cString: $0) } ?? "/"
        let shell = entry.pw_shell.map { String(cString: $0) } ?? "/bin/sh"
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            if getgrouplist(name, gid, &groups, &count) < 0 { count = 0 }
        }
        let list = count > 0 ? Array(groups.prefix(Int(count))) : [gid]
        return UserAccount(name: name, uid: uid, gid: gid, home: home, shell: shell, groups: list)
    }

    /// The account the process runs as (real uid).
    public static var current: UserAccount? {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return nil }
        return named(String(cString: name))
    }
}
