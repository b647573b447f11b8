#if canImport(Glibc)
    import Glibc
#endif
import CShim

/// Runs programs with fork/exec (in ``cshim_spawn``), each in its own session so that a timeout
/// can kill the whole process group, with the standard streams captured through pipes.
///
/// Capture ends when the program exits, even if a grandchild (a postmaster started by `pg_ctl`)
/// still holds a copy of the pipe.
public struct ProcessRunner: CommandRunner {
    /// Output beyond this many bytes per stream is dropped.
    public var outputLimit = 1 << 20

    public init() {}

    public func run(_ command: Command, until deadline: Deadline) throws(CommandError) -> CommandResult {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        var rc = cshim_pipe(&outPipe)
        if rc == 0 { rc = cshim_pipe(&errPipe) }
        guard rc == 0 else {
            for fd in outPipe + errPipe where fd >= 0 { close(fd) }
            throw .launchFailed(executable: command.executable, errno: rc)
        }

        let pid: pid_t
        do {
            pid = try spawn(command, stdout: outPipe[1], stderr: errPipe[1])
        } catch {
            for fd in outPipe + errPipe { close(fd) }
            throw error
        }
        close(outPipe[1])
        close(errPipe[1])
        defer {
            close(outPipe[0])
            close(errPipe[0])
        }

        var out: [UInt8] = []
        var err: [UInt8] = []
        var openFds = [outPipe[0], errPipe[0]]
        var status: Int32 = 0
        var exited = false
        var killedAt: ContinuousClock.Instant?

        while true {
            // Wait for output, at most 20 ms at a time so that the child's exit is noticed promptly;
            // once the child has closed its output it is normally exiting: look every millisecond
            // (a 20 ms sleep there added 20 ms to every command's wall time).
            var fds = openFds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let wait = exited ? 0 : min(openFds.isEmpty ? 1 : 20, max(deadline.remainingMilliseconds, 0))
            _ = poll(&fds, nfds_t(fds.count), wait)
            for entry in fds where entry.revents != 0 {
                let finished = entry.fd == outPipe[0] ? drain(entry.fd, into: &out) : drain(entry.fd, into: &err)
                if finished { openFds.removeAll { $0 == entry.fd } }
            }
            if exited { break }
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid {
                exited = true
                continue  // one last non-blocking drain
            }
            if waited < 0 && errno != EINTR {
                exited = true
                continue
            }
            if deadline.isExpired {
                if killedAt == nil {
                    kill(-pid, SIGTERM)
                    killedAt = .now
                } else if let at = killedAt, at.duration(to: .now) > .milliseconds(500) {
                    kill(-pid, SIGKILL)
                    var final: Int32 = 0
                    while waitpid(pid, &final, 0) < 0 && errno == EINTR {}
                    throw .timedOut(executable: command.executable)
                }
            }
        }
        if killedAt != nil { throw .timedOut(executable: command.executable) }

        let termination: CommandResult.Termination =
            (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
        return CommandResult(
            termination: termination,
            standardOutput: String(decoding: out, as: UTF8.self),
            standardError: String(decoding: err, as: UTF8.self)
        )
    }

    /// Reads what is available; returns true at end of file or on error.
    private func drain(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                if buffer.count < outputLimit { buffer.append(contentsOf: chunk.prefix(min(n, outputLimit - buffer.count))) }
                continue
            }
            if n == 0 { return true }
            if errno == EINTR { continue }
            return errno != EAGAIN && errno != EWOULDBLOCK
        }
    }

    private func spawn(_ command: Command, stdout: Int32, stderr: Int32) throws(CommandError) -> pid_t {
        let argv = [command.executable] + command.arguments
        let envp = command.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnvp: [UnsafeMutablePointer<CChar>?] = envp.map { strdup($0) } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnvp.forEach { free($0) }
        }
        let groups = command.user?.groups ?? []
        var pid: pid_t = 0
        let rc: Int32 = command.executable.withCString { path in
            withOptionalCString(command.workingDirectory) { cwd in
                groups.withUnsafeBufferPointer { groupBuffer in
                    cArgv.withUnsafeMutableBufferPointer { argvBuffer in
                        cEnvp.withUnsafeMutableBufferPointer { envpBuffer in
                            var request = cshim_spawn_request(
                                path: path,
                                argv: argvBuffer.baseAddress,
                                envp: envpBuffer.baseAddress,
                                cwd: cwd,
                                stdin_fd: -1,
                                stdout_fd: stdout,
                                stderr_fd: stderr,
                                change_user: command.user == nil ? 0 : 1,
                                uid: command.user?.uid ?? 0,
                                gid: command.user?.gid ?? 0,
                                groups: groupBuffer.baseAddress,
                                ngroups: Int32(groupBuffer.count)
                            )
                            return cshim_spawn(&request, &pid)
                        }
                    }
                }
            }
        }
        guard rc == 0 else { throw .launchFailed(executable: command.executable, errno: rc) }
        return pid
    }
}

private func withOptionalCString<T>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
