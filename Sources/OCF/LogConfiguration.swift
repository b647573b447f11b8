/// Where `ocf_log`-compatible messages go, decided once from the environment the way
/// `ocf-shellfuncs` decides it.
///
/// - a terminal on standard input: everything to stderr as `tag: LEVEL: message`;
/// - `HA_LOGFACILITY` (other than `none`): syslog(3) with that facility;
/// - `HA_LOGFILE`: appended as `date tag:    LEVEL: message`;
/// - neither: stderr as `dateLEVEL: message` (pacemaker-execd captures it);
/// - `HA_DEBUGLOG` (when different from `HA_LOGFILE`): appended as `tag:\tdateLEVEL: message`;
/// - debug messages only when `HA_debug` is set and not 0.
public struct LogConfiguration: Equatable, Sendable {
    /// `pgsql-swift(<instance>)`; the process id is added when a line is written.
    public var ident: String
    public var syslogFacility: Int32?
    public var logFile: String?
    public var debugLogFile: String?
    public var debugEnabled: Bool
    public var interactive: Bool

    public init(
        ident: String, syslogFacility: Int32? = nil, logFile: String? = nil, debugLogFile: String? = nil,
        debugEnabled: Bool = false, interactive: Bool = false
    ) {
        self.ident = ident
        self.syslogFacility = syslogFacility
        self.logFile = logFile
        self.debugLogFile = debugLogFile
        self.debugEnabled = debugEnabled
        self.interactive = interactive
    }

    public init(agentName: String, env: [String: String], interactive: Bool) {
        let instance = env["OCF_RESOURCE_INSTANCE"].flatMap { $0.isEmpty ? nil : $0 }
        let ident = env["HA_LOGTAG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? instance.map { "\(agentName)(\($0))" } ?? agentName
        let facilityName = env["HA_LOGFACILITY"] ?? ""
        let logFile = env["HA_LOGFILE"].flatMap { $0.isEmpty ? nil : $0 }
        var debugLog = env["HA_DEBUGLOG"].flatMap { $0.isEmpty ? nil : $0 }
        if debugLog == logFile { debugLog = nil }
        let debug = env["HA_debug"].map { !$0.isEmpty && $0 != "0" } ?? false
        self.init(
            ident: ident,
            syslogFacility: facilityName == "none" ? nil : LogConfiguration.facility(named: facilityName),
            logFile: logFile,
            debugLogFile: debugLog,
            debugEnabled: debug,
            interactive: interactive
        )
    }

    /// Whether nothing but stderr receives ordinary messages.
    public var usesStandardErrorOnly: Bool { syslogFacility == nil && logFile == nil }

    /// The syslog facility code for a name such as `daemon` or `local3` (`nil` if unknown or empty).
    public static func facility(named name: String) -> Int32? {
        let codes: [String: Int32] = [
            "kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7,
            "uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11,
        ]
        let lower = name.lowercased()
        if let code = codes[lower] { return code << 3 }
        if lower.hasPrefix("local"), let n = Int32(lower.dropFirst(5)), (0...7).contains(n) {
            return (16 + n) << 3
        }
        return nil
    }
}
