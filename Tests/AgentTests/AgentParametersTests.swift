import Agent
import OCF
import Replication
import Testing

@Suite struct AgentParametersTests {
    @Test func defaultsAreTheShellAgentDefaults() throws {
        let p = try AgentParameters([:])
        #expect(p.pgctl == "/usr/bin/pg_ctl")
        #expect(p.psql == "/usr/bin/psql")
        #expect(p.pgdata == "/var/lib/pgsql/data")
        #expect(p.pgdba == "postgres")
        #expect(p.pghost == nil)
        #expect(p.pgport == 5432)
        #expect(p.pglibs == "/usr/lib")
        #expect(p.monitorUser == nil)
        #expect(p.effectiveMonitorUser == "postgres")
        #expect(p.monitorPassword == nil)
        #expect(p.monitorSQL == "select now();")
        #expect(p.config == "/var/lib/pgsql/data/postgresql.conf")
        #expect(p.pgdb == "template1")
        #expect(p.logfile == "/dev/null")
        #expect(p.socketdir == nil)
        #expect(p.startOptions == "")
        #expect(p.ctlOptions == [])
        #expect(p.stopEscalate == 90)
        #expect(p.stopEscalateInSlave == 90)
        #expect(p.replicationMode == .none)
        #expect(p.nodeList == [])
        #expect(p.restoreCommand == "")
        #expect(p.archiveCleanupCommand == nil)
        #expect(p.recoveryEndCommand == nil)
        #expect(p.masterIP == nil)
        #expect(p.repuser == "postgres")
        #expect(p.primaryConninfoOptions == "")
        #expect(p.restartOnPromote == false)
        #expect(p.replicationSlotName == nil)
        #expect(p.tmpdir == "/var/lib/pgsql/tmp")
        #expect(p.xlogCheckCount == 3)
        #expect(p.crmAttributeTimeout == 5)
        #expect(p.checkWALReceiver == false)
        #expect(p.externalStandbyNodeList == [])
    }

    @Test func configFollowsPgdataAndEmptyMeansDefault() throws {
        let p = try AgentParameters(["OCF_RESKEY_pgdata": "/srv/pg", "OCF_RESKEY_pgport": ""])
        #expect(p.config == "/srv/pg/postgresql.conf")
        #expect(p.pgport == 5432)
    }

    @Test func typedValues() throws {
        let p = try AgentParameters([
            "OCF_RESKEY_pgport": "5433", "OCF_RESKEY_rep_mode": "sync", "OCF_RESKEY_node_list": "pgn1 pgn2",
            "OCF_RESKEY_ctl_opt": "-t 30 --options='-c a=b c'", "OCF_RESKEY_restart_on_promote": "yes",
            "OCF_RESKEY_replication_slot_name": "slot_1", "OCF_RESKEY_stop_escalate": "-1",
            "OCF_RESKEY_monitor_user": "mon", "OCF_RESKEY_monitor_password": "pw",
        ])
        #expect(p.pgport == 5433)
        #expect(p.replicationMode == .sync)
        #expect(p.nodeList.map(\.rawValue) == ["pgn1", "pgn2"])
        #expect(p.ctlOptions == ["-t", "30", "--options=-c a=b c"])
        #expect(p.restartOnPromote)
        #expect(p.replicationSlotName?.rawValue == "slot_1")
        #expect(p.stopEscalate == -1)
        #expect(p.effectiveMonitorUser == "mon")
    }

    /// Every malformed value is a configuration error (6) whose reason names the parameter.
    @Test(arguments: [
        ("pgport", "abc"), ("pgport", "0"), ("pgport", "70000"), ("pgport", "54 32"),
        ("pgdata", "relative/data"), ("config", "postgresql.conf"), ("logfile", "pg.log"),
        ("socketdir", "run/pg"), ("tmpdir", "tmp"), ("rep_mode", "master"), ("rep_mode", "SYNC"),
        ("stop_escalate", "ninety"), ("stop_escalate_in_slave", "1.5"), ("xlog_check_count", "-1"),
        ("crm_attr_timeout", "0"), ("restart_on_promote", "maybe"), ("check_wal_receiver", "2"),
        ("replication_slot_name", "Upper"), ("replication_slot_name", "with-dash"), ("ctl_opt", "-o 'unbalanced"),
        ("ctl_opt", "trailing\\"), ("pgdata", "/data\nx"),
    ])
    func malformedValues(_ name: String, _ value: String) {
        do {
            _ = try AgentParameters(["OCF_RESKEY_\(name)": value])
            Issue.record("\(name)=\(value) was accepted")
        } catch {
            #expect(error.code == .notConfigured)
            #expect(error.reason.contains(name == "rep_mode" ? "rep_mode" : name))
        }
    }
}
