/// The `<rsc>-receiver-status` node attribute (check_wal_receiver): whether this instance receives
/// WAL, as `pg_stat_wal_receiver` tells it.
public enum WALReceiverStatus: String, Sendable, CaseIterable {
    /// A standby whose WAL receiver runs.
    case normal = "normal"
    /// A primary: it has no WAL receiver and needs none.
    case primary = "normal (master)"
    /// A standby without a working WAL receiver, or PostgreSQL not running.
    case error = "ERROR"

    /// What the WAL receiver's row in `pg_stat_wal_receiver` shows.
    public enum Receiver: Hashable, Sendable {
        /// No row: no WAL receiver process.
        case absent
        /// A row whose `status` column is hidden (a monitor_user without pg_read_all_stats sees
        /// only the pid): the process exists, the shell agent's whole test.
        case unreadable
        /// A row with its `status` (starting, streaming, waiting, restarting, stopping …).
        case state(String)
        /// PostgreSQL < 9.6 has no `pg_stat_wal_receiver`.
        case unknown
    }

    /// - Parameters:
    ///   - inRecovery: `pg_is_in_recovery()`, or nil when PostgreSQL is not running or did not answer.
    ///   - receiver: the WAL receiver's row.
    /// - Returns: nil for a standby whose PostgreSQL cannot tell (< 9.6): nothing is reported then.
    public init?(inRecovery: Bool?, receiver: Receiver) {
        switch (inRecovery, receiver) {
        case (nil, _): self = .error
        case (false?, _): self = .primary
        case (true?, .unknown): return nil
        case (true?, .absent): self = .error
        case (true?, .unreadable): self = .normal
        case (true?, .state(let state)): self = state == "streaming" ? .normal : .error
        }
    }

    /// One query for these facts: `pg_is_in_recovery()`, then the receiver's pid, status and the
    /// seconds since it last heard from the primary (NULL when there is no receiver). PostgreSQL < 9.6
    /// (no `pg_stat_wal_receiver`) answers the first only.
    public static func query(postgresMajor major: Int?, minor: Int = 0) -> String {
        guard let major, major < 9 || (major == 9 && minor < 6) else {
            return "select pg_is_in_recovery(), r.pid, r.status,"
                + " extract(epoch from clock_timestamp() - r.last_msg_receipt_time)"
                + " from (select 1) one left join pg_stat_wal_receiver r on true"
        }
        return "select pg_is_in_recovery()"
    }

    /// Seconds since the WAL receiver last heard from the primary, from the answer to `query`.
    public static func lastMessageAge(_ rows: [[String?]]) -> Double? {
        guard rows.count == 1, rows[0].count == 4, let text = rows[0][3] else { return nil }
        return Double(text)
    }

    /// Reads the answer to `query`; nil when it is not the expected single row.
    public static func parse(_ rows: [[String?]]) -> (inRecovery: Bool, receiver: Receiver)? {
        guard rows.count == 1, (1...4).contains(rows[0].count), rows[0].count != 2 else { return nil }
        let row = rows[0]
        let inRecovery: Bool
        switch row[0] {
        case "t": inRecovery = true
        case "f": inRecovery = false
        default: return nil
        }
        guard row.count >= 3 else { return (inRecovery, .unknown) }
        guard row[1] != nil else { return (inRecovery, .absent) }
        return (inRecovery, row[2].map { .state($0) } ?? .unreadable)
    }
}
