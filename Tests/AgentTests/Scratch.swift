#if canImport(Glibc)
    import Glibc
#endif
import Exec

/// A scratch directory and the FIFOs, links and files the tests put in it.
struct Scratch {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let path: String

    /// A new directory (root's, mode 0700 when made by root) in `parent`: `/tmp` is shared; `/run`
    /// is root's alone, as a directory above a root-configured path is.
    init(_ name: String = "files", in parent: String = "/tmp") throws {
        var template = Array("\(parent)/pgsql-swift-\(name)-XXXXXX".utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw Failure(description: "mkdtemp failed")
        }
        path = String(cString: dir)
    }

    func fifo(_ name: String) throws -> String {
        let file = path + "/" + name
        guard mkfifo(file, 0o600) == 0 else { throw Failure(description: "mkfifo \(file) failed") }
        return file
    }

    func file(_ name: String, _ content: String) throws -> String {
        let file = path + "/" + name
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot create \(file)") }
        defer { close(fd) }
        _ = Array(content.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        return file
    }

    func link(_ name: String, to target: String) throws -> String {
        let file = path + "/" + name
        guard symlink(target, file) == 0 else { throw Failure(description: "symlink \(file) failed") }
        return file
    }

    func directory(_ name: String, mode: mode_t = 0o755) throws -> String {
        let dir = path + "/" + name
        guard mkdir(dir, mode) == 0, chmod(dir, mode) == 0 else {
            throw Failure(description: "mkdir \(dir) failed")
        }
        return dir
    }

    /// Removes the directory and everything in it (links are removed, not followed).
    func remove() {
        _ = try? ProcessRunner().run(Command("/bin/rm", ["-rf", "--", path]), until: Deadline(after: .seconds(10)))
    }

    /// Opens and closes the write end of a FIFO: a reader blocked in open(2) or read(2) gets EOF.
    static func release(_ fifo: String) {
        let fd = open(fifo, O_WRONLY | O_NONBLOCK)
        if fd >= 0 { close(fd) }
    }

    static func info(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }
}
