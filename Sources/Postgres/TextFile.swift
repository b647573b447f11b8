#if canImport(Glibc)
    import Glibc
#endif
import Exec

/// Small whole-file reads and tails, without Foundation.
public enum TextFile {
    /// The file's contents as UTF-8 (invalid bytes repaired), or `nil` if it cannot be read.
    public static func read(_ path: String, limit: Int = 1 << 20) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
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
                return nil
            }
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The last `maxLines` non-empty lines of a regular file, reading at most its last `maxBytes`.
    public static func tail(_ path: String, maxLines: Int, maxBytes: Int = 16384) -> [String] {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return [] }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        let start = max(0, Int(info.st_size) - maxBytes)
        var data = [UInt8](repeating: 0, count: Int(info.st_size) - start)
        let n = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        guard n > 0 else { return [] }
        let text = String(decoding: data.prefix(n), as: UTF8.self)
        let lines = text.split(separator: "\n").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        return Array(lines.suffix(maxLines))
    }

    /// Whether a path exists (of any type).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether a path is a directory (following links).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
