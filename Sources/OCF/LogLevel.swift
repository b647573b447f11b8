/// `ocf_log` priorities, in the words the shell agents print.
public enum LogLevel: Int, Comparable, Sendable {
    case debug, info, warning, error, critical

    /// The prefix `ocf_log` writes before a message.
    public var label: String {
        switch self {
        case .debug: "DEBUG"
        case .info: "INFO"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRIT"
        }
    }

    /// The syslog(3) priority (`LOG_DEBUG` … `LOG_CRIT`).
    public var syslogPriority: Int32 {
        switch self {
        case .debug: 7
        case .info: 6
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
