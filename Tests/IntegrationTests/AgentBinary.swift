import Exec

#if canImport(Glibc)
    import Glibc
#endif

/// The built `pgsql-swift` executable, run as Pacemaker runs it: one action, an environment, no stdin.
enum AgentBinary {
    /// `PGSQL_SWIFT_AGENT` when set (CI points it at the installed agent), else the debug build.
    static var path: String {
        if let override = getenv("PGSQL_SWIFT_AGENT") { return String(cString: override) }
        let tests = String(#filePath.dropLast("Tests/IntegrationTests/AgentBinary.swift".count))
        return tests + ".build/debug/pgsql-swift"
    }

    struct Outcome {
        var code: Int32
        var stdout: String
        var stderr: String

        /// The last `ocf-exit-reason:` line, as Pacemaker picks it.
        var exitReason: String? {
            stderr.split(separator: "\n").last { $0.hasPrefix("ocf-exit-reason:") }
                .map { String($0.dropFirst("ocf-exit-reason:".count)) }
        }
    }

    static func run(_ action: String, _ environment: [String: String], timeout: Duration = .seconds(120)) throws
        -> Outcome
    {
        let result = try ProcessRunner().run(Command(path, [action], environment: environment), until: Deadline(after: timeout))
        guard case .exited(let code) = result.termination else {
            throw TestFailure("agent \(action) was killed by a signal: \(result.termination) \(result.standardError)")
        }
        return Outcome(code: code, stdout: result.standardOutput, stderr: result.standardError)
    }
}
