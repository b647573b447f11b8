import Exec

/// A runner for tests that only build argv arrays: running anything is a test failure.
protocol CommandRunnerStub: CommandRunner {}

extension CommandRunnerStub {
    func run(_ command: Command, until deadline: Deadline) throws(CommandError) -> CommandResult {
        throw .launchFailed(executable: command.executable, errno: 0)
    }
}
