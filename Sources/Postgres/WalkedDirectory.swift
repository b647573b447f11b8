#if canImport(Glibc)
    import Glibc
#endif
public import Exec

/// A directory reached from `/` one component at a time (`openat` with `O_NOFOLLOW|O_DIRECTORY`),
/// held open by its descriptor (`O_RDONLY`: root may read any directory), and whether root alone decides what its path names.
///
/// A component is *root-controlled* when root owns it and neither group nor others may write it;
/// the walk stays root-controlled while every directory passed is. Below a directory anyone else
/// may write (pgdba's home, `/tmp`), entries can be swapped: there the agent creates with pgdba's
/// identity and never chowns as root.
///
/// A symbolic link in the middle of the path is followed only when it lies in a root-controlled
/// directory and belongs to root (`/var/run` → `/run`): only root could have put it there. Any
/// other link is refused, never followed. Missing components are created with `mkdirat` on the
/// parent's descriptor: by root (mode 0755) while root-controlled, else with pgdba's identity.
public struct WalkedDirectory: ~Copyable {
    public let fd: Int32
    public let path: String
    public let rootControlled: Bool

    deinit { close(fd) }

    /// Whether root alone can change the entries of the directory described by `info`.
    static func isRootControlled(_ info: stat) -> Bool { info.st_uid == 0 && info.st_mode & 0o022 == 0 }

    /// The components of an absolute path (empty ones and `.` dropped).
    static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    /// Opens the directory `path` (absolute); missing components are created when `creatingFor` is
    /// set (as root while the walk is root-controlled, else as that account).
    public static func open(_ path: String, creatingFor owner: UserAccount? = nil) throws(OwnedFile.Failure)
        -> WalkedDirectory
    {
        guard path.hasPrefix("/") else {
            throw OwnedFile.Failure(path: path, operation: "open", errno: EINVAL, detail: "\(path) is not absolute")
        }
        var fd = Glibc.open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw OwnedFile.Failure(path: "/", operation: "open", errno: errno) }
        var controlled = true
        var walked = ""
        var pending = components(path)[...]
        var linksFollowed = 0
        do throws(OwnedFile.Failure) {
            controlled = try statusOf(fd, "/")
            while let name = pending.popFirst() {
                let here = walked.isEmpty ? "/" + name : walked + "/" + name
                var next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if next < 0 && errno == ENOENT, let owner {
                    try createDirectory(in: fd, name, here, mode: 0o755, asRoot: controlled, owner: owner)
                    next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
                if next < 0 {
                    let code = errno
                    guard code == ELOOP || code == ENOTDIR, let kind = kindOf(fd, name) else {
                        throw OwnedFile.Failure(path: here, operation: "open", errno: code)
                    }
                    guard kind == .symbolicLink else {
                        throw OwnedFile.Failure(
                            path: here, operation: "open", errno: ENOTDIR, detail: "\(here) is \(kind), not a directory"
                        )
                    }
                    var info = stat()
                    guard controlled, fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_uid == 0,
                        linksFollowed < 40, let target = linkTarget(fd, name)
                    else {
                        throw OwnedFile.Failure(
                            path: here, operation: "open", errno: ELOOP,
                            detail: "\(here) is a symbolic link in a directory root does not control alone;"
                                + " it is not followed")
                    }
                    linksFollowed += 1
                    pending = (components(target) + pending)[...]
                    if target.hasPrefix("/") {
                        let top = Glibc.open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                        guard top >= 0 else { throw OwnedFile.Failure(path: "/", operation: "open", errno: errno) }
                        close(fd)
                        fd = top
                        walked = ""
                        controlled = try statusOf(fd, "/")
                    }
                    continue
                }
                close(fd)
                fd = next
                walked = here
                controlled = try statusOf(fd, here) && controlled
            }
        } catch {
            close(fd)
            throw error
        }
        return WalkedDirectory(fd: fd, path: walked.isEmpty ? "/" : walked, rootControlled: controlled)
    }

    /// The directory that holds `path` and the last component's name.
    public static func split(_ path: String) throws(OwnedFile.Failure) -> (parent: String, name: String) {
        var parts = components(path)
        guard path.hasPrefix("/"), let name = parts.popLast(), name != ".." else {
            throw OwnedFile.Failure(path: path, operation: "open", errno: EINVAL, detail: "\(path) names no entry")
        }
        return ("/" + parts.joined(separator: "/"), name)
    }

    /// Makes `name` in the directory `fd`: as root, or with `owner`'s identity.
    static func createDirectory(
        in fd: Int32, _ name: String, _ path: String, mode: mode_t, asRoot: Bool,
        owner: UserAccount
    ) throws(OwnedFile.Failure) {
        let code: Int32
        if asRoot {
            code = mkdirat(fd, name, mode) == 0 ? 0 : errno
        } else {
            let outcome = EffectiveUser.strictly(as: owner) { mkdirat(fd, name, mode) == 0 ? 0 : errno }
            guard let outcome else {
                throw OwnedFile.Failure(path: path, operation: "switch to \(owner.name) for", errno: EPERM)
            }
            code = outcome
        }
        if code != 0 && code != EEXIST { throw OwnedFile.Failure(path: path, operation: "mkdir", errno: code) }
    }

    /// The kind of the entry `name` in `fd` itself (a link is not followed).
    static func kindOf(_ fd: Int32, _ name: String) -> FileKind? {
        var info = stat()
        return fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? FileKind(mode: info.st_mode) : nil
    }

    private static func statusOf(_ fd: Int32, _ path: String) throws(OwnedFile.Failure) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw OwnedFile.Failure(path: path, operation: "stat", errno: errno) }
        return isRootControlled(info)
    }

    private static func linkTarget(_ fd: Int32, _ name: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4097)
        let n = buffer.withUnsafeMutableBufferPointer { raw in
            raw.baseAddress.map { readlinkat(fd, name, $0, 4096) } ?? -1
        }
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }
}
