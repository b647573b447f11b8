/// What resolving one host name gave: its numeric addresses in the resolver's order, or the
/// resolver's error text.
public enum HostLookup: Equatable, Sendable {
    case addresses([String])
    case failed(String)

    /// Reads the answer of `cshim_resolve_hosts` for `names`.
    ///
    /// Per name: `a <address>` lines or one `e <message>` line, then `.`. A name the answer does not
    /// reach (a truncated answer) is failed.
    public static func parse(_ output: String, names: [String]) -> [String: HostLookup] {
        var result: [String: HostLookup] = [:]
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false)[...]
        for name in names {
            var addresses: [String] = []
            var failure: String?
            var complete = false
            while let line = lines.popFirst() {
                if line == "." {
                    complete = true
                    break
                }
                if line.hasPrefix("a ") { addresses.append(String(line.dropFirst(2))) }
                if line.hasPrefix("e ") { failure = String(line.dropFirst(2)) }
            }
            if let failure {
                result[name] = .failed(failure)
            } else if !complete {
                result[name] = .failed("no answer from the resolver")
            } else if addresses.isEmpty {
                result[name] = .failed("no address")
            } else {
                result[name] = .addresses(addresses)
            }
        }
        return result
    }
}
