import Postgres
import Testing

/// The connection rule that keeps libpq from blocking: no GSSAPI encryption unless asked for, host
/// names resolved by the agent and handed to libpq as hostaddr.
@Suite struct ConnectionParametersTests {
    /// A resolver that knows a few names and records what it was asked.
    final class FakeResolver {
        var asked: [[String]] = []
        let known: [String: HostLookup] = [
            "db1": .addresses(["10.0.0.1"]),
            "localhost": .addresses(["::1", "127.0.0.1"]),
            "gone": .failed("Name or service not known"),
        ]

        func resolve(_ names: [String]) throws(PostgresError) -> [String: HostLookup] {
            asked.append(names)
            return known.filter { names.contains($0.key) }
        }
    }

    func prepared(
        _ parameters: [(String, String)], environment: [String: String] = [:], resolver: FakeResolver = FakeResolver()
    )
        throws(PostgresError) -> [String: String]
    {
        let list = try ConnectionParameters.prepared(parameters, environment: environment, resolve: resolver.resolve)
        var values: [String: String] = [:]
        for (keyword, value) in list {
            #expect(values[keyword] == nil, "\(keyword) appears twice")
            values[keyword] = value
        }
        return values
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let host: String?
        let port: String
        let environment: [String: String]
        let expectedHost: String?
        let expectedHostaddr: String?
        let expectedPort: String
        let lookups: [[String]]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "socket directory", host: "/var/run/postgresql", port: "5432", environment: [:],
            expectedHost: "/var/run/postgresql", expectedHostaddr: nil, expectedPort: "5432", lookups: []),
        Case(
            name: "no host: libpq's default socket", host: nil, port: "5432", environment: [:],
            expectedHost: nil, expectedHostaddr: nil, expectedPort: "5432", lookups: []),
        Case(
            name: "IPv4 address", host: "192.168.0.10", port: "5432", environment: [:],
            expectedHost: "192.168.0.10", expectedHostaddr: nil, expectedPort: "5432", lookups: []),
        Case(
            name: "IPv6 address", host: "fd00::10", port: "5432", environment: [:],
            expectedHost: "fd00::10", expectedHostaddr: nil, expectedPort: "5432", lookups: []),
        Case(
            name: "abstract socket", host: "@pg", port: "5432", environment: [:],
            expectedHost: "@pg", expectedHostaddr: nil, expectedPort: "5432", lookups: []),
        Case(
            name: "a name", host: "db1", port: "5432", environment: [:],
            expectedHost: "db1", expectedHostaddr: "10.0.0.1", expectedPort: "5432", lookups: [["db1"]]),
        Case(
            name: "a name with two addresses", host: "localhost", port: "5432", environment: [:],
            expectedHost: "localhost,localhost", expectedHostaddr: "::1,127.0.0.1", expectedPort: "5432",
            lookups: [["localhost"]]),
        Case(
            name: "socket, name and address in one list", host: "/tmp,db1,10.9.9.9", port: "5432", environment: [:],
            expectedHost: "/tmp,db1,10.9.9.9", expectedHostaddr: ",10.0.0.1,", expectedPort: "5432", lookups: [["db1"]]),
        Case(
            name: "a port per host follows its addresses", host: "localhost,db1", port: "5433,5434", environment: [:],
            expectedHost: "localhost,localhost,db1", expectedHostaddr: "::1,127.0.0.1,10.0.0.1",
            expectedPort: "5433,5433,5434", lookups: [["localhost", "db1"]]),
        Case(
            name: "a name that does not resolve is skipped when others remain", host: "gone,db1", port: "5432",
            environment: [:], expectedHost: "db1", expectedHostaddr: "10.0.0.1", expectedPort: "5432",
            lookups: [["gone", "db1"]]),
        Case(
            name: "a name repeated is resolved once", host: "db1,db1", port: "5432", environment: [:],
            expectedHost: "db1,db1", expectedHostaddr: "10.0.0.1,10.0.0.1", expectedPort: "5432", lookups: [["db1"]]),
        Case(
            name: "PGHOST is what libpq would use when host is not given", host: nil, port: "5432",
            environment: ["PGHOST": "db1"], expectedHost: "db1", expectedHostaddr: "10.0.0.1", expectedPort: "5432",
            lookups: [["db1"]]),
        Case(
            name: "an empty host falls back to PGHOST, as in libpq", host: "", port: "5432",
            environment: ["PGHOST": "db1"], expectedHost: "db1", expectedHostaddr: "10.0.0.1", expectedPort: "5432",
            lookups: [["db1"]]),
        Case(
            name: "PGHOSTADDR given: libpq resolves nothing", host: "db1", port: "5432",
            environment: ["PGHOSTADDR": "10.1.1.1"], expectedHost: "db1", expectedHostaddr: nil, expectedPort: "5432",
            lookups: []),
    ]

    @Test(arguments: cases) func hostNamesBecomeAddresses(_ c: Case) throws {
        let resolver = FakeResolver()
        var parameters = [("port", c.port), ("dbname", "postgres")]
        if let host = c.host { parameters.append(("host", host)) }
        let values = try prepared(parameters, environment: c.environment, resolver: resolver)
        #expect(values["host"] == c.expectedHost)
        #expect(values["hostaddr"] == c.expectedHostaddr)
        #expect(values["port"] == c.expectedPort)
        #expect(values["dbname"] == "postgres")
        #expect(resolver.asked == c.lookups)
    }

    @Test func aGivenHostaddrIsKept() throws {
        let resolver = FakeResolver()
        let values = try prepared([("host", "db1"), ("hostaddr", "10.2.2.2")], resolver: resolver)
        #expect(values["host"] == "db1")
        #expect(values["hostaddr"] == "10.2.2.2")
        #expect(resolver.asked.isEmpty)
    }

    @Test func aNameThatDoesNotResolveFailsTheConnectionWithLibpqsWords() {
        #expect {
            _ = try prepared([("host", "gone")])
        } throws: { error in
            guard let error = error as? PostgresError else { return false }
            return error.kind == .connection
                && error.message == "could not translate host name \"gone\" to address: Name or service not known"
        }
    }

    @Test func aResolverTimeoutIsTheConnectionsTimeout() {
        let timeout: ConnectionParameters.Resolver = { _ throws(PostgresError) in throw PostgresError(.timeout, "slow")
        }
        #expect(throws: PostgresError(.timeout, "slow")) {
            _ = try ConnectionParameters.prepared([("host", "db1")], environment: [:], resolve: timeout)
        }
    }

    @Test func gssapiEncryptionIsOffUnlessAskedFor() throws {
        #expect(try prepared([("host", "/tmp")])["gssencmode"] == "disable")
        #expect(try prepared([("host", "10.0.0.1")])["gssencmode"] == "disable")
        #expect(try prepared([("host", "10.0.0.1"), ("gssencmode", "require")])["gssencmode"] == "require")
        #expect(try prepared([("host", "10.0.0.1")], environment: ["PGGSSENCMODE": "prefer"])["gssencmode"] == nil)
        #expect(try prepared([("host", "10.0.0.1")], environment: ["PGGSSENCMODE": ""])["gssencmode"] == "disable")
    }

    @Test(arguments: [
        ("", false), ("/var/run/postgresql", false), ("@abstract", false), ("127.0.0.1", false), ("::1", false),
        ("fe80::1", false), ("localhost", true), ("db.example.com", true), ("127.1", true), ("fe80::1%eth0", true),
    ])
    func whatNeedsALookup(_ entry: String, _ lookup: Bool) {
        #expect(ConnectionParameters.needsLookup(entry) == lookup)
    }

    @Test func resolverAnswersAreReadPerName() {
        let output = "a ::1\na 127.0.0.1\n.\ne Name or service not known\n.\n.\na 10.0.0.1\n"
        let lookups = HostLookup.parse(output, names: ["localhost", "gone", "empty", "cut"])
        #expect(lookups["localhost"] == .addresses(["::1", "127.0.0.1"]))
        #expect(lookups["gone"] == .failed("Name or service not known"))
        #expect(lookups["empty"] == .failed("no address"))
        #expect(lookups["cut"] == .failed("no answer from the resolver"), "an answer without its final . is incomplete")
    }
}
