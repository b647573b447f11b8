#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres

/// The files and directories the server needs before `pg_ctl start`, created for pgdba as the shell
/// agent created them: the log file, the socket directory (mode 2775) and `stats_temp_directory`.
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
        if !TextFile.exists(path) {
            let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
            if fd >= 0 {
                close(fd)
                _ = chown(path, owner.uid, owner.gid)
            }
        }
        guard EffectiveUser.canAccess(path, mode: W_OK, as: owner) else {
            throw ActionFailure(.insufficientPrivilege, "PostgreSQL can't write to the log file: \(path)")
        }
    }

    private func prepareSocketDirectory() throws(ActionFailure) {
        guard let path = context.parameters.socketdir else { return }
        if TextFile.isDirectory(path) {
            guard EffectiveUser.canAccess(path, mode: W_OK | X_OK, as: owner) else {
                throw ActionFailure(.insufficientPrivilege, "\(owner.name) can't create files in \(path)")
            }
            return
        }
        guard mkdir(path, 0o755) == 0 else {
            throw ActionFailure(.insufficientPrivilege, "Can't create directory \(path)")
        }
        guard chown(path, owner.uid, owner.gid) == 0 else {
            throw ActionFailure(.insufficientPrivilege, "Can't change ownership for \(path)")
        }
        guard chmod(path, 0o2775) == 0 else {
            throw ActionFailure(.insufficientPrivilege, "Can't change permissions for \(path)")
        }
    }

    private func prepareStatsTempDirectory() throws(ActionFailure) {
        let p = context.parameters
        guard let text = TextFile.read(p.config),
            let value = ConfigFile(text: text).value(of: "stats_temp_directory"), !value.isEmpty
        else { return }
        let path = value.hasPrefix("/") ? value : p.pgdata + "/" + value
        if TextFile.isDirectory(path) { return }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw ActionFailure(.insufficientPrivilege, "Can't create directory \(path)")
        }
        guard chown(path, owner.uid, owner.gid) == 0 else {
            throw ActionFailure(.insufficientPrivilege, "Can't change ownership for \(path)")
        }
        guard chmod(path, 0o700) == 0 else {
            throw ActionFailure(.insufficientPrivilege, "Can't change permissions for \(path)")
        }
    }
}
