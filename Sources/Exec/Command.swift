/// A program to run: an absolute path and an argv array (never a shell string), its environment,
/// working directory and, optionally, the account it runs as.
public struct Command: Equatable, Sendable {
    public var executable: String
    public var arguments: [String]
    public var environment: [String: String]
    public var workingDirectory: String?
    public var user: UserAccount?

    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        workingDirectory: String? = nil, user: UserAccount? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.user = user
    }

}

/// How a program ended and what it printed.
public struct CommandResult: Equatable, Sendable {
    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    public var termination: Termination
    public var standardOutput: String
    public var standardError: String

    public init(termination: Termination, standardOutput: String, standardError: String) {
        self.termination = termination
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    public var succeeded: Bool { termination == .exited(0) }

    /// Standard output and standard error joined, trimmed, for an exit reason or a log line.
    public var combinedOutput: String {
        [standardOutput, standardError]
            .map { $0.trimmingSpaces }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}

/// Why a program could not be run to completion. A non-zero exit is a ``CommandResult``, not an error.
public enum CommandError: Error, Equatable, Sendable {
    case launchFailed(executable: String, errno: Int32)
    case timedOut(executable: String)
}

extension String {
    /// The string without leading and trailing white space and newlines.
    public var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
