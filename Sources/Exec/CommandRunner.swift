/// Runs programs. The live implementation is ``ProcessRunner``; unit tests may script results.
public protocol CommandRunner {
    /// Runs `command` to completion or until `deadline`, capturing its output.
    ///
    /// - Throws: ``CommandError/launchFailed(executable:errno:)`` when the program cannot be started,
    ///   ``CommandError/timedOut(executable:)`` when it had to be killed at the deadline.
    func run(_ command: Command, until deadline: Deadline) throws(CommandError) -> CommandResult
}
