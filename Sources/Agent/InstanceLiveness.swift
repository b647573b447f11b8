import Postgres

/// Whether a postmaster runs for the configured data directory, answerable even when the rest of the
/// configuration is invalid (only `pgdata` has to be an absolute path).
enum InstanceLiveness {
    static func isRunning(environment: [String: String]) -> Bool {
        let pgdata = environment["OCF_RESKEY_pgdata"].flatMap { $0.isEmpty ? nil : $0 } ?? "/var/lib/pgsql/data"
        guard pgdata.hasPrefix("/") else { return false }
        if case .running = ServerProcess.state(dataDirectory: pgdata) { return true }
        return false
    }
}
