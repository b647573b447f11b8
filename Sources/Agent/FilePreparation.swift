#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres

/// The files and directories the server needs before `pg_ctl start`, created for pgdba as the shell
/// agent created them: the log file, the socket directory (mode 2775) and `stats_temp_directory`.
///
/// Root never changes a path through a link here: the log file and the socket directory (paths root
/// configured) are created new (`O_EXCL`/`mkdirat`) in a parent reached from `/` without links pgdba
/// controls, by pgdba where pgdba (or anyone but root) could swap an entry above them, else by root
/// and handed to pgdba through their descriptors;
/// `stats_temp_directory` comes from `postgresql.conf`, which pgdba can edit, so it is created with
/// pgdba's identity and never chowned.
struct FilePreparation {
    let context: AgentContext

    func prepareForStart() throws(ActionFailure) {
        try prepareLogFile()
        try prepareSocketDirectory()
        try prepareStatsTempDirectory()
    }

    private var owner: UserAccount { context.owner }

    private func prepareLogFile() throws(ActionFailure) {
        let path = context.parameters.logfile
        if FileKind.of(path) == nil {
            // A new file only, on a parent reached without links pgdba controls: O_EXCL|O_NOFOLLOW,
            // by root (then chowned through the descriptor) only where root alone controls the
            // directory, else with pgdba's identity.
            do { try OwnedFile.createFile(path, owner: owner) } catch {
                throw ActionFailure(.insufficientPrivilege, "Can't create the log file \(path): \(error.message)")
            }
        }
        guard EffectiveUser.canAccess(path, mode: W_OK, as: owner) else {
            throw ActionFailure(.insufficientPrivilege, "PostgreSQL can't write to the log file: \(path)")
        }
    }

    /// The socket directory: an existing one must already be usable by pgdba (it is not changed);
    /// a new one is made in a parent reached without links pgdba controls, and only that one is
    /// handed over (``OwnedFile/makeDirectory(_:owner:mode:)``).
    private func prepareSocketDirectory() throws(ActionFailure) {
        guard let path = context.parameters.socketdir else { return }
        if FileKind.of(path) != nil {
            guard TextFile.isDirectory(path), EffectiveUser.canAccess(path, mode: W_OK | X_OK, as: owner) else {
                throw ActionFailure(
                    .insufficientPrivilege,
                    "\(owner.name) can't create files in \(path) (an existing socketdir is not changed: make it a"
                        + " directory \(owner.name) can write, e.g. chown \(owner.name) \(path))")
            }
            return
        }
        do { try OwnedFile.makeDirectory(path, owner: owner, mode: 0o2775) } catch {
            switch error.operation {
            case "chown":
                throw ActionFailure(.insufficientPrivilege, "Can't change ownership for \(path): \(error.message)")
            case "chmod": throw ActionFailure(.insufficientPrivilege, "Can't change permissions for \(path)")
            default: throw ActionFailure(.insufficientPrivilege, "Can't create directory \(path): \(error.message)")
            }
        }
    }

    /// `stats_temp_directory`, created with pgdba's identity.
    ///
    /// A value pgdba wrote (`/etc/…`, a path through a link) can only make pgdba create a directory
    /// where pgdba may create one. An existing directory is kept.
    private func prepareStatsTempDirectory() throws(ActionFailure) {
        let p = context.parameters
        guard case .success(let text) = ServerConfig.read(p.config, as: owner),
            let value = ConfigFile(text: text).value(of: "stats_temp_directory"), !value.isEmpty
        else { return }
        let path = value.hasPrefix("/") ? value : p.pgdata + "/" + value
        if TextFile.isDirectory(path) { return }
        let created = EffectiveUser.strictly(as: owner) { () -> Int32 in
            if mkdir(path, 0o700) == 0 { return 0 }
            let code = errno
            return code == EEXIST && TextFile.isDirectory(path) ? 0 : code
        }
        guard let created else {
            throw ActionFailure(.insufficientPrivilege, "Can't create directory \(path) as \(owner.name)")
        }
        guard created == 0 else {
            throw ActionFailure(
                .insufficientPrivilege,
                "Can't create directory \(path) as \(owner.name): \(String(cString: strerror(created)))")
        }
    }
}
