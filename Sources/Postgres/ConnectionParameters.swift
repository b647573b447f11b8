#if canImport(Glibc)
    import Glibc
#endif

/// The rule that keeps libpq from blocking while it connects: the libpq keywords a connection is
/// opened with, after two changes to what the caller asked for.
///
/// - GSSAPI encryption is off (`gssencmode=disable`) unless the caller passes `gssencmode` or the
///   environment sets `PGGSSENCMODE`: libpq's default `prefer` asks Kerberos for credentials and
///   negotiates with the KDC synchronously, inside `PQconnectPoll`, for every TCP connection.
///   (GSSAPI *authentication*, when `pg_hba.conf` asks for it, is the operator's choice and stays.)
/// - Host names are resolved by the agent, bounded by the deadline, and passed as `hostaddr` (with
///   `host` kept, for `~/.pgpass`, TLS and Kerberos): libpq calls getaddrinfo(3), which has no timeout.
///   Socket directories (`/…`, `@…`), numeric addresses and empty entries need no lookup and stay as
///   they are; nothing changes when the caller or `PGHOSTADDR` already gives `hostaddr`.
public enum ConnectionParameters {
    public typealias Resolver = ([String]) throws(PostgresError) -> [String: HostLookup]

    public static func prepared(
        _ parameters: [(String, String)], environment: [String: String], resolve: Resolver
    ) throws(PostgresError) -> [(String, String)] {
        var result = parameters
        // libpq ignores an empty value and falls back to the environment, then to its default.
        let given = { (keyword: String) -> String? in parameters.last { $0.0 == keyword && !$0.1.isEmpty }?.1 }
        let set = { (keyword: String) -> Bool in
            !(given(keyword) ?? environment["PG" + keyword.uppercased()] ?? "").isEmpty
        }

        if !set("gssencmode") { result.append(("gssencmode", "disable")) }

        guard !set("hostaddr"), let hostList = given("host") ?? environment["PGHOST"], !hostList.isEmpty else {
            return result
        }
        let entries = hostList.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var names: [String] = []
        for entry in entries where needsLookup(entry) && !names.contains(entry) { names.append(entry) }
        guard !names.isEmpty else { return result }

        let lookups = try resolve(names)
        let ports = given("port").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let perEntryPorts = ports.flatMap { $0.count == entries.count && $0.count > 1 ? $0 : nil }
        var hosts: [String] = []
        var addresses: [String] = []
        var hostPorts: [String] = []
        var failures: [String] = []
        for (index, entry) in entries.enumerated() {
            let port = perEntryPorts?[index] ?? ""
            guard needsLookup(entry) else {
                hosts.append(entry)
                addresses.append("")
                hostPorts.append(port)
                continue
            }
            switch lookups[entry] ?? .failed("no answer from the resolver") {
            case .addresses(let found):
                for address in found {
                    hosts.append(entry)
                    addresses.append(address)
                    hostPorts.append(port)
                }
            case .failed(let message):
                failures.append("could not translate host name \"\(entry)\" to address: \(message)")
            }
        }
        guard !hosts.isEmpty else { throw PostgresError(.connection, failures.joined(separator: "; ")) }

        result.removeAll { $0.0 == "host" || $0.0 == "hostaddr" || (perEntryPorts != nil && $0.0 == "port") }
        result.append(("host", hosts.joined(separator: ",")))
        result.append(("hostaddr", addresses.joined(separator: ",")))
        if perEntryPorts != nil { result.append(("port", hostPorts.joined(separator: ","))) }
        return result
    }

    /// Whether libpq would resolve this `host` entry with getaddrinfo: not a socket directory
    /// (`/…`, or `@…` for an abstract socket), not empty (the default socket), not a numeric address.
    public static func needsLookup(_ entry: String) -> Bool {
        guard let first = entry.first, first != "/", first != "@" else { return false }
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, entry, &v4) != 1 && inet_pton(AF_INET6, entry, &v6) != 1
    }
}
