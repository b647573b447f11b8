#if canImport(Glibc)
    import Glibc
#endif
import CShim
import Exec

/// Host-name resolution bounded by a deadline.
///
/// getaddrinfo(3) has no timeout (a DNS server that does
/// not answer holds it for `timeout` × `attempts` of resolv.conf per name, and an NSS module can hold
/// it longer), and libpq calls it inside `PQconnectStartParams`/`PQconnectPoll`; so the agent resolves
/// names itself in a forked child and hands libpq the addresses (`hostaddr`).
public enum HostResolver {
    public static func resolve(_ names: [String], until deadline: Deadline) throws(PostgresError) -> [String:
        HostLookup]
    {
        var cNames: [UnsafeMutablePointer<CChar>?] = names.map { strdup($0) } + [nil]
        defer { cNames.forEach { free($0) } }
        let outcome = cNames.withUnsafeMutableBufferPointer { buffer in
            ForkedCall.run(cshim_resolve_hosts, context: UnsafeMutableRawPointer(buffer.baseAddress), until: deadline)
        }
        switch outcome {
        case .finished(let output):
            return HostLookup.parse(output, names: names)
        case .timedOut:
            let list = names.map { "\"\($0)\"" }.joined(separator: ", ")
            throw PostgresError(.timeout, "resolving host name \(list) did not finish before the action's timeout")
        case .notStarted(let errno):
            throw PostgresError(.connection, "could not start the host name lookup: errno \(errno)")
        }
    }
}
