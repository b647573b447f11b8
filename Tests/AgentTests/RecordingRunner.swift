import Exec

/// A fake ``CommandRunner`` for tests of whole actions: it records every command, executes none.
///
/// It answers the Pacemaker tools from a script: `crm_mon` prints `crmMon`, `crm_attribute -G`
/// reads `stored`, every other program succeeds silently.
final class RecordingRunner: CommandRunner {
    private(set) var commands: [Command] = []
    var crmMon: String
    /// `crm_attribute -G` answers, keyed `"<node> <name>"`; a missing key is exit 105 (no such attribute).
    var stored: [String: String]
    /// Makes every `crm_attribute -G` fail (exit 1), as when the CIB does not answer.
    var readsFail = false

    init(crmMon: String, stored: [String: String] = [:]) {
        self.crmMon = crmMon
        self.stored = stored
    }

    func run(_ command: Command, until deadline: Deadline) throws(CommandError) -> CommandResult {
        commands.append(command)
        let arguments = command.arguments
        switch Self.program(command) {
        case "crm_mon":
            return CommandResult(termination: .exited(0), standardOutput: crmMon, standardError: "")
        case "crm_attribute" where arguments.contains("-G") && readsFail:
            return CommandResult(
                termination: .exited(1), standardOutput: "", standardError: "Could not connect to the CIB\n")
        case "crm_attribute" where arguments.contains("-G"):
            let key = "\(Self.value(after: "-N", in: arguments) ?? "") \(Self.value(after: "-n", in: arguments) ?? "")"
            guard let value = stored[key] else {
                return CommandResult(
                    termination: .exited(105), standardOutput: "",
                    standardError: "crm_attribute: Error performing operation: No such device or address\n")
            }
            return CommandResult(termination: .exited(0), standardOutput: value + "\n", standardError: "")
        default:
            return CommandResult(termination: .exited(0), standardOutput: "", standardError: "")
        }
    }

    /// The program's file name (`crm_attribute` for `/usr/sbin/crm_attribute`).
    static func program(_ command: Command) -> String {
        command.executable.split(separator: "/").last.map(String.init) ?? command.executable
    }

    static func value(after option: String, in arguments: [String]) -> String? {
        guard let k = arguments.firstIndex(of: option), k + 1 < arguments.count else { return nil }
        return arguments[k + 1]
    }

    /// The argument vectors of every run of `program`, in order.
    func runs(of program: String) -> [[String]] {
        commands.filter { Self.program($0) == program }.map(\.arguments)
    }
}
