/// The recovery settings that make a node a hot standby of `master_ip`.
///
/// PostgreSQL < 12 reads them from `recovery.conf` in PGDATA (with `standby_mode = 'on'`); from 12 on
/// they are ordinary settings, kept in `<tmpdir>/recovery.conf`, pulled into `postgresql.conf` by an
/// `include` line, and a `standby.signal` file in PGDATA makes the server start as a standby.
public struct RecoveryConfiguration: Hashable, Sendable {
    public var masterIP: String
    public var port: Int
    public var replicationUser: String
    public var node: NodeName
    public var conninfoOptions: String
    public var restoreCommand: String
    public var archiveCleanupCommand: String
    public var recoveryEndCommand: String
    public var slot: ReplicationSlotName?
    public var usesStandbySignal: Bool

    public init(
        masterIP: String, port: Int, replicationUser: String, node: NodeName, conninfoOptions: String = "",
        restoreCommand: String = "", archiveCleanupCommand: String = "", recoveryEndCommand: String = "",
        slot: ReplicationSlotName? = nil, usesStandbySignal: Bool
    ) {
        self.masterIP = masterIP
        self.port = port
        self.replicationUser = replicationUser
        self.node = node
        self.conninfoOptions = conninfoOptions
        self.restoreCommand = restoreCommand
        self.archiveCleanupCommand = archiveCleanupCommand
        self.recoveryEndCommand = recoveryEndCommand
        self.slot = slot
        self.usesStandbySignal = usesStandbySignal
    }

    /// PostgreSQL 12 moved recovery settings into the main configuration.
    public static func usesStandbySignal(major: Int) -> Bool { major >= 12 }

    /// A configuration-file string literal that the server reads back as exactly `value`.
    public static func literal(_ value: String) -> String { ConfigurationLiteral.quote(value) }

    /// The libpq connection string: host, port, user and application_name quoted as libpq needs
    /// (bare when they are plain words, as the shell agent wrote them), then `primary_conninfo_opt`
    /// as the operator wrote it (it is connection-string syntax already).
    public var primaryConninfo: String {
        var conninfo = "host=\(ConninfoValue.quote(masterIP)) port=\(port) user=\(ConninfoValue.quote(replicationUser))"
        conninfo += " application_name=\(ConninfoValue.quote(node.rawValue))"
        if !conninfoOptions.isEmpty { conninfo += " " + conninfoOptions }
        return conninfo
    }

    /// The file content.
    public var content: String {
        var lines = [
            "primary_conninfo = " + Self.literal(primaryConninfo),
            "restore_command = " + Self.literal(restoreCommand),
            "recovery_target_timeline = 'latest'",
        ]
        if !usesStandbySignal { lines.append("standby_mode = 'on'") }
        if !archiveCleanupCommand.isEmpty { lines.append("archive_cleanup_command = " + Self.literal(archiveCleanupCommand)) }
        if !recoveryEndCommand.isEmpty { lines.append("recovery_end_command = " + Self.literal(recoveryEndCommand)) }
        if let slot, let mine = slot.slot(for: node) { lines.append("primary_slot_name = " + Self.literal(mine.rawValue)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The line the agent appends to `postgresql.conf` to include a file of tmpdir (the shell
    /// agent's exact text for a path without quotes or backslashes, so a configuration it edited is
    /// recognised).
    public static func includeLine(for path: String) -> String { "include \(literal(path)) # added by pgsql RA" }

    /// Whether `postgresql.conf` already includes `path` (any `include`/`include_if_exists` line,
    /// commented-out lines ignored).
    public static func includes(_ config: String, path: String) -> Bool {
        for line in config.split(separator: "\n") {
            let text = line.drop(while: { $0 == " " || $0 == "\t" })
            guard text.hasPrefix("include") else { continue }
            var rest = text.drop(while: { $0 != " " && $0 != "\t" && $0 != "=" && $0 != "'" })
            rest = rest.drop(while: { $0 == " " || $0 == "\t" || $0 == "=" })
            if ConfigurationLiteral.unquote(rest)?.value == path { return true }
        }
        return false
    }
}
