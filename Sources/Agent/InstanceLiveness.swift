import Postgres

/// Whether a postmaster runs for the configured data directory, answerable even when the rest of the
/// configuration is invalid (only `pgdata` has to be an absolute path).
enum InstanceLiveness {
    static func isRunning(environment: [String: String]) -> Bool {
        let pgdata = environment["OCF_RESKEY_pgdata"].flatMap { $0.isEmpty ? nil : $0 } ?? "/var/lib/pgsql/data"
        guard pgdata.hasPrefix("/") else { return false }
        // A pid file that is not a regular file counts as running while a postmaster is found (or
        // the processes cannot be listed): a failed validation must not make a stop skip it.
        return ServerProcess.state(dataDirectory: pgdata).isRunning
    }
}
