import OCF
import Testing

@Suite struct LogConfigurationTests {
    @Test func pacemakerDefaultsGoToSyslogAndTheLogFile() {
        let config = LogConfiguration(
            agentName: "pgsql-swift",
            env: [
                "OCF_RESOURCE_INSTANCE": "pgsql", "HA_LOGFACILITY": "daemon",
                "HA_LOGFILE": "/var/log/pacemaker/pacemaker.log", "HA_debug": "0",
            ], interactive: false)
        #expect(config.ident == "pgsql-swift(pgsql)")
        #expect(config.syslogFacility == 3 << 3)
        #expect(config.logFile == "/var/log/pacemaker/pacemaker.log")
        #expect(!config.debugEnabled)
        #expect(!config.usesStandardErrorOnly)
    }

    @Test func noneMeansNoSyslogAndNothingMeansStandardError() {
        let config = LogConfiguration(agentName: "pgsql-swift", env: ["HA_LOGFACILITY": "none"], interactive: false)
        #expect(config.syslogFacility == nil)
        #expect(config.usesStandardErrorOnly)
        #expect(config.ident == "pgsql-swift")
    }

    @Test func debugLogEqualToTheLogFileIsNotWrittenTwice() {
        let config = LogConfiguration(
            agentName: "a", env: ["HA_LOGFILE": "/x", "HA_DEBUGLOG": "/x", "HA_debug": "1"], interactive: false)
        #expect(config.debugLogFile == nil)
        #expect(config.debugEnabled)
    }

    @Test(arguments: [("local0", Int32(16 << 3)), ("LOCAL7", Int32(23 << 3)), ("user", Int32(1 << 3)), ("local8", nil), ("", nil)] as [(String, Int32?)])
    func facilities(_ name: String, _ code: Int32?) {
        #expect(LogConfiguration.facility(named: name) == code)
    }

    @Test func secretsAreRedacted() {
        let logger = OCFLogger(configuration: LogConfiguration(ident: "t"))
        logger.addSecret("s3cr3t")
        #expect(logger.redact("password=s3cr3t failed; s3cr3t") == "password=******** failed; ********")
    }

    @Test(arguments: [(LogLevel.debug, "DEBUG", Int32(7)), (.info, "INFO", 6), (.warning, "WARNING", 4), (.error, "ERROR", 3), (.critical, "CRIT", 2)])
    func levels(_ level: LogLevel, _ label: String, _ priority: Int32) {
        #expect(level.label == label)
        #expect(level.syslogPriority == priority)
    }
}
