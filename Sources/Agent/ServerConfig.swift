#if canImport(Glibc)
    import Glibc
#endif
import Exec
import Postgres

/// The server's configuration file (`config`), read and appended to with pgdba's identity.
///
/// Root configures the path, but the file is pgdba's (in PGDATA, or under `/etc/postgresql` on
/// Debian), and it may be a symbolic link (conf.d setups, operators' links): the agent follows the
/// link as the server does, but as pgdba, so a link pgdba planted cannot make root read or write a
/// file pgdba could not. Only a regular file is read, and a FIFO never blocks (see ``TextFile``).
enum ServerConfig {
    static func read(_ path: String, as owner: UserAccount) -> Result<String, TextFile.ReadFailure> {
        EffectiveUser.strictly(as: owner) { TextFile.contents(path, followLinks: true) } ?? .failure(.unreadable(EPERM))
    }

    /// Appends a line, keeping a symbolic link a link (``OwnedFile/append(_:to:owner:)``).
    static func append(line: String, after text: String, to path: String, as owner: UserAccount)
        throws(OwnedFile.Failure)
    {
        let separator = text.isEmpty || text.hasSuffix("\n") ? "" : "\n"
        try OwnedFile.append(separator + line + "\n", to: path, owner: owner)
    }
}
