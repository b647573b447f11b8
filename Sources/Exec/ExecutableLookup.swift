#if canImport(Glibc)
    import Glibc
#endif

/// Finds programs the way `which` (the shell agent's `have_binary`) does.
public enum ExecutableLookup {
    /// An absolute path is checked as is; a bare name is searched in `searchPath` (`PATH`).
    ///
    /// - Returns: the absolute path of an executable regular file, or `nil`.
    public static func resolve(_ name: String, searchPath: String) -> String? {
        if name.contains("/") {
            return isExecutableFile(name) ? name : nil
        }
        for directory in searchPath.split(separator: ":") where directory.hasPrefix("/") {
            let candidate = "\(directory)/\(name)"
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    public static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}
