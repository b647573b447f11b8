#if canImport(Glibc)
    import Glibc
#endif
import CShim

/// Writes `ocf_log`-compatible log lines and OCF exit reasons.
///
/// Every message passes through ``redact(_:)`` first, so a registered secret (the monitor password)
/// never reaches a log, even when it appears inside a PostgreSQL or child-process message.
public final class OCFLogger {
    public let configuration: LogConfiguration
    private var secrets: [String] = []
    private var syslogOpened = false
    private let pid = getpid()

    public init(configuration: LogConfiguration) {
        self.configuration = configuration
    }

    /// Makes sure `secret` is replaced by `********` in every later message and exit reason.
    public func addSecret(_ secret: String) {
        if !secret.isEmpty { secrets.append(secret) }
    }

    public func redact(_ message: String) -> String {
        var text = message
        for secret in secrets where text.contains(secret) {
            text = text.replacing(secret, with: "********")
        }
        return text
    }

    public func debug(_ message: @autoclosure () -> String) {
        guard configuration.debugEnabled else { return }
        log(.debug, message())
    }

    public func info(_ message: String) { log(.info, message) }
    public func warning(_ message: String) { log(.warning, message) }
    public func error(_ message: String) { log(.error, message) }

    /// Prints `<prefix><reason>` on stderr (the line Pacemaker keeps) and logs it as an error
    /// everywhere but stderr.
    public func exitReason(_ reason: String, prefix: String) {
        let oneLine = redact(reason).split(whereSeparator: \.isNewline).joined(separator: " ")
        StandardStreams.writeError(prefix + oneLine + "\n")
        log(.error, oneLine, toStandardError: false)
    }

    public func log(_ level: LogLevel, _ message: String, toStandardError: Bool = true) {
        if level == .debug && !configuration.debugEnabled { return }
        let text = "\(level.label): \(redact(message))"
        let tag = "\(configuration.ident)[\(pid)]"
        if configuration.interactive {
            if toStandardError { StandardStreams.writeError("\(tag): \(text)\n") }
            return
        }
        if let facility = configuration.syslogFacility {
            if !syslogOpened {
                cshim_openlog(configuration.ident, facility)
                syslogOpened = true
            }
            cshim_syslog(level.syslogPriority, text)
        }
        let date = OCFLogger.timestamp()
        if level != .debug, let file = configuration.logFile {
            OCFLogger.append("\(date) \(tag):    \(text)\n", to: file)
        }
        if level != .debug && configuration.usesStandardErrorOnly && toStandardError {
            StandardStreams.writeError("\(date)\(text)\n")
        }
        if let file = configuration.debugLogFile {
            OCFLogger.append("\(tag):\t\(date)\(text)\n", to: file)
        }
        if level == .debug && configuration.syslogFacility == nil && configuration.debugLogFile == nil {
            StandardStreams.writeError("\(tag):\t\(date)\(text)\n")
        }
    }

    /// `%b %d %T ` in local time, the default `HA_DATEFMT`.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%b %d %T ", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func append(_ line: String, to path: String) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}
