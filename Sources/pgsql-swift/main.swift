#if canImport(Glibc)
    import Glibc
#endif
import Agent
import OCF

/// Reads the process environment without Foundation.
func processEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        pointer += 1
    }
    return result
}

signal(SIGPIPE, SIG_IGN)
let code = Agent.run(
    arguments: Array(CommandLine.arguments.dropFirst()),
    environment: processEnvironment(),
    interactive: isatty(0) == 1
)
exit(code.rawValue)
