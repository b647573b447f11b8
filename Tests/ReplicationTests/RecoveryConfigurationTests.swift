import Replication
import Testing

@Suite struct RecoveryConfigurationTests {
    func configuration(version: Int, slot: String? = nil, restore: String = "") throws -> RecoveryConfiguration {
        RecoveryConfiguration(
            masterIP: "10.0.0.100", port: 5432, replicationUser: "repl", node: try #require(NodeName("pgn2")),
            conninfoOptions: "keepalives_idle=60", restoreCommand: restore,
            slot: slot.flatMap(ReplicationSlotName.init), usesStandbySignal: RecoveryConfiguration.usesStandbySignal(major: version))
    }

    @Test func postgres12AndLaterUseStandbySignal() throws {
        let text = try configuration(version: 15).content
        #expect(text == """
            primary_conninfo = 'host=10.0.0.100 port=5432 user=repl application_name=pgn2 keepalives_idle=60'
            restore_command = ''
            recovery_target_timeline = 'latest'

            """)
    }

    @Test func before12StandbyModeIsInTheFile() throws {
        #expect(try configuration(version: 11).content.contains("standby_mode = 'on'\n"))
        #expect(try !configuration(version: 12).content.contains("standby_mode"))
    }

    @Test func slotAndQuotedCommand() throws {
        let text = try configuration(version: 15, slot: "lab", restore: "cp '/arch/%f' %p").content
        #expect(text.contains("primary_slot_name = 'lab_pgn2'\n"))
        #expect(text.contains("restore_command = 'cp ''/arch/%f'' %p'\n"))
    }

    @Test func everyValueIsEscapedForTheServersLexer() throws {
        let node = try #require(NodeName(#"o'brien\1"#))
        let conf = RecoveryConfiguration(
            masterIP: "10.0.0.100", port: 5432, replicationUser: "rep user", node: node,
            conninfoOptions: #"password='pa ss\'wd' keepalives_idle=60"#, restoreCommand: #"cp "/arch/%f" %p \t '\'"#,
            archiveCleanupCommand: #"pg_archivecleanup C:\arch %r"#, recoveryEndCommand: #"echo done\"#,
            usesStandbySignal: true)
        let conninfo =
            #"host=10.0.0.100 port=5432 user='rep user' application_name='o\'brien\\1' "#
            + #"password='pa ss\'wd' keepalives_idle=60"#
        #expect(conf.primaryConninfo == conninfo)
        let lines = conf.content.split(separator: "\n").map(String.init)
        #expect(
            lines.contains(
                #"primary_conninfo = 'host=10.0.0.100 port=5432 user=''rep user'' application_name=''o\\''brien\\\\1'' password=''pa ss\\''wd'' keepalives_idle=60'"#
            ))
        #expect(lines.contains(#"restore_command = 'cp "/arch/%f" %p \\t ''\\'''"#))
        #expect(lines.contains(#"archive_cleanup_command = 'pg_archivecleanup C:\\arch %r'"#))
        #expect(lines.contains(#"recovery_end_command = 'echo done\\'"#))
    }

    @Test func includeLinesAreRecognisedNotDuplicated() {
        let path = "/var/lib/pgsql/tmp/rep_mode.conf"
        #expect(RecoveryConfiguration.includeLine(for: path) == "include '\(path)' # added by pgsql RA")
        #expect(RecoveryConfiguration.includes("port = 5432\ninclude '\(path)' # added by pgsql RA\n", path: path))
        #expect(RecoveryConfiguration.includes("include_if_exists '\(path)'\n", path: path))
        #expect(!RecoveryConfiguration.includes("#include '\(path)'\n", path: path))
        #expect(!RecoveryConfiguration.includes("include '/other/rep_mode.conf'\n", path: path))
        #expect(!RecoveryConfiguration.includes("include '\(path).bak'\n", path: path))
        #expect(RecoveryConfiguration.includes("include = '\(path)'\n", path: path))

        let odd = #"/var/lib/it's\tmp/rep_mode.conf"#
        let line = #"include '/var/lib/it''s\\tmp/rep_mode.conf' # added by pgsql RA"#
        #expect(RecoveryConfiguration.includeLine(for: odd) == line)
        #expect(RecoveryConfiguration.includes(RecoveryConfiguration.includeLine(for: odd), path: odd))
    }
}
