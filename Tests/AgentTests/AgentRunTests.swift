#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres
import Testing

@testable import Agent

/// ``Agent/run(arguments:environment:interactive:runner:)`` end to end, with the recording fakes as
/// runner: each exit code with its exit reason (logged as `ERROR: <reason>`), what stop, monitor and
/// status make of a failed validation, and the dispatch of the plain and slave actions.
@Suite struct AgentRunTests {
    /// A plain instance whose validation passes: an executable `pg_ctl` (never run: the runner is
    /// the fake), the harness's data directory and configuration, the log in `agent.log`.
    static func node(_ extra: [String: String] = [:]) -> ReplicationHarness {
        let h = ReplicationHarness.plain()
        mkdir(h.root + "/bin", 0o755)
        ReplicationHarness.write(h.root + "/bin/pg_ctl", "#!/bin/sh\nexit 0\n")
        chmod(h.root + "/bin/pg_ctl", 0o755)
        h.environment["OCF_RESKEY_pgctl"] = h.root + "/bin/pg_ctl"
        h.environment["HA_LOGFILE"] = h.root + "/agent.log"
        for (key, value) in extra {
            h.environment[key] = value.isEmpty ? nil : value.replacing("$ROOT", with: h.root)
        }
        return h
    }

    static let promotable = [
        "OCF_RESKEY_rep_mode": "sync", "OCF_RESKEY_CRM_meta_promotable": "true", "OCF_RESKEY_CRM_meta_notify": "true",
    ]

    static func run(_ h: ReplicationHarness, _ arguments: [String]) -> OCFExitCode {
        Agent.run(arguments: arguments, environment: h.environment, runner: h.cluster)
    }

    /// An empty value in the changes unsets the variable; `$ROOT` is the harness's directory.
    @Test(
        arguments: [
            ([], [:], OCFExitCode.unimplemented, "No action given"),
            (["start", "stop"], [:], .unimplemented, "Unsupported action 'start stop'"),
            (["reload"], [:], .unimplemented, "Unsupported action 'reload'"),
            (["promote"], [:], .unimplemented, "promote is not supported with rep_mode=none"),
            (
                ["demote"], ["OCF_RESKEY_rep_mode": "slave"], .unimplemented,
                "demote is not supported with rep_mode=slave"
            ),
            (
                ["validate-all"], ["OCF_RESKEY_pgdba": "nosuchuser-pgsql-swift"], .notInstalled,
                "User nosuchuser-pgsql-swift doesn't exist"
            ),
            (
                ["validate-all"], ["OCF_RESKEY_monitor_user": ""], .notConfigured,
                "monitor_user has to be set if monitor_password is set"
            ),
            (
                ["validate-all"], ["OCF_RESKEY_rep_mode": "async", "OCF_RESKEY_master_ip": ""], .notConfigured,
                "master_ip can't be empty."
            ),
            (
                ["validate-all"], ["OCF_RESKEY_rep_mode": "sync", "OCF_RESKEY_node_list": ""], .notConfigured,
                "node_list can't be empty."
            ),
            (
                ["validate-all"], ["OCF_RESKEY_rep_mode": "async", "OCF_RESKEY_external_standby_node_list": "dr1"],
                .notConfigured, "external_standby_node_list requires rep_mode=sync."
            ),
            (
                ["start"], ["OCF_RESKEY_pgctl": "/nonexistent/pg_ctl"], .notInstalled,
                "pg_ctl not found or not executable: /nonexistent/pg_ctl"
            ),
            (
                ["validate-all"], ["OCF_CHECK_LEVEL": "10", "OCF_RESKEY_config": "$ROOT/missing.conf"], .notInstalled,
                "Configuration file $ROOT/missing.conf doesn't exist"
            ),
            (
                ["start"], ["OCF_RESKEY_pgdata": "$ROOT/nodata", "OCF_RESKEY_config": "$ROOT/data/postgresql.conf"],
                .notInstalled, "Data directory $ROOT/nodata does not exist"
            ),
            (
                ["start"], ["OCF_RESKEY_rep_mode": "sync"], .notConfigured,
                "Replication(rep_mode=async or sync) requires Master/Slave configuration."
            ),
            (
                ["start"], ["OCF_RESKEY_rep_mode": "slave", "OCF_RESKEY_CRM_meta_promotable": "true"], .notConfigured,
                "Replication(rep_mode=slave) does not support Master/Slave configuration."
            ),
            (
                ["start"], promotable.merging(["OCF_RESKEY_CRM_meta_on_node": "pgn3"]) { $1 }, .invalidArgument,
                "This node, pgn3, is not in node_list (pgn1 pgn2)"
            ),
        ] as [([String], [String: String], OCFExitCode, String)])
    func exitCodesAndReasons(
        _ arguments: [String], _ changes: [String: String], _ code: OCFExitCode, _ reason: String
    ) throws {
        let h = AgentRunTests.node(changes)
        #expect(AgentRunTests.run(h, arguments) == code)
        let expected = "ERROR: " + reason.replacing("$ROOT", with: h.root)
        #expect(h.agentLog.contains(expected + "\n"), "\(h.agentLog)")
        #expect(h.log.entries.isEmpty, "nothing is run: \(h.log.entries)")
    }

    /// Settings a server's version or configuration file rules out.
    @Test(
        arguments: [
            ("9.0\n", "", [:], OCFExitCode.notInstalled, "Replication mode needs PostgreSQL 9.1 or higher."),
            (
                "9.3\n", "", ["OCF_RESKEY_replication_slot_name": "s"], .notConfigured,
                "Replication slot needs PostgreSQL 9.4 or higher."
            ),
            (
                "15\n", "unix_socket_directories = '/run/x'\n", [:], .notConfigured,
                "In PostgreSQL 9.3 or higher, socketdir can't be empty if you define unix_socket_directories in the postgresql.conf."
            ),
        ] as [(String, String, [String: String], OCFExitCode, String)])
    func theServersVersionAndConfigurationAreChecked(
        _ version: String, _ config: String, _ changes: [String: String], _ code: OCFExitCode, _ reason: String
    ) throws {
        let h = AgentRunTests.node(AgentRunTests.promotable.merging(changes) { $1 })
        ReplicationHarness.write(h.pgdata + "/PG_VERSION", version)
        ReplicationHarness.write(h.pgdata + "/postgresql.conf", config)
        #expect(AgentRunTests.run(h, ["start"]) == code)
        #expect(h.agentLog.contains("ERROR: \(reason)\n"), "\(h.agentLog)")
    }

    /// A FIFO at PG_VERSION or the configuration fails every action but stop, which only warns.
    @Test(arguments: [
        ("PG_VERSION", "$ROOT/data/PG_VERSION is a FIFO, not a regular file"),
        ("postgresql.conf", "Configuration file $ROOT/data/postgresql.conf is a FIFO, not a regular file"),
    ])
    func aFIFOInPlaceOfAFileFailsAllButStop(_ name: String, _ reason: String) throws {
        let h = AgentRunTests.node()
        unlink(h.pgdata + "/" + name)
        #expect(mkfifo(h.pgdata + "/" + name, 0o600) == 0)
        let reason = reason.replacing("$ROOT", with: h.root)
        #expect(AgentRunTests.run(h, ["start"]) == .notInstalled)
        #expect(h.agentLog.contains("ERROR: " + reason + "\n"), "\(h.agentLog)")
        #expect(AgentRunTests.run(h, ["stop"]) == .success)
        #expect(h.agentLog.contains("WARNING: " + reason + "\n"), "\(h.agentLog)")
        #expect(h.log.entries.isEmpty)
    }

    /// Stop, monitor and status tell the truth about a badly configured instance: without a
    /// postmaster it is stopped; with one, the failure stands.
    @Test(arguments: [("stop", OCFExitCode.success), ("monitor", .notRunning), ("status", .notRunning)])
    func aFailedValidationIsTheTruthOnlyWhenPostgreSQLRuns(_ action: String, _ stopped: OCFExitCode) throws {
        let h = AgentRunTests.node(["OCF_RESKEY_pgctl": "/nonexistent/pg_ctl"])
        let reason = "pg_ctl not found or not executable: /nonexistent/pg_ctl"
        #expect(AgentRunTests.run(h, [action]) == stopped)
        #expect(h.agentLog.contains("Validation failed (\(reason)), and PostgreSQL is not running."))
        #expect(!h.agentLog.contains("ERROR:"))
        let postmaster = try StandInPostmaster(in: h.pgdata)
        defer { postmaster.end() }
        #expect(AgentRunTests.run(h, [action]) == .notInstalled)
        #expect(h.agentLog.contains("ERROR: \(reason)\n"))
        #expect(ServerProcess.isAlive(postmaster.pid), "nothing was stopped")
    }

    @Test func aProbeWithoutItsConfigurationFileFindsPostgreSQLStopped() throws {
        let h = AgentRunTests.node(["OCF_RESKEY_config": "$ROOT/missing.conf", "OCF_RESKEY_CRM_meta_interval": "0"])
        #expect(AgentRunTests.run(h, ["monitor"]) == .notRunning)
        #expect(h.agentLog.contains("Unable to read \(h.root)/missing.conf during probe."))
        #expect(!h.agentLog.contains("ERROR:"))
    }

    @Test func plainActionsOfAStoppedInstance() throws {
        let h = AgentRunTests.node(["OCF_RESKEY_check_wal_receiver": "true"])
        #expect(AgentRunTests.run(h, ["methods"]) == .success)
        #expect(AgentRunTests.run(h, ["validate-all"]) == .success)
        #expect(AgentRunTests.run(h, ["status"]) == .notRunning)
        #expect(AgentRunTests.run(h, ["notify"]) == .success)
        #expect(h.log.entries.isEmpty)
        #expect(AgentRunTests.run(h, ["stop"]) == .success)
        #expect(h.log.entries == ["attrd_updater pgsql-receiver-status[pgn1]=<deleted>"])
        #expect(AgentRunTests.run(h, ["monitor"]) == .notRunning)
        #expect(h.log.entries.last == "attrd_updater pgsql-receiver-status[pgn1]=ERROR")
        #expect(!h.agentLog.contains("ERROR:"), "\(h.agentLog)")
    }

    @Test func aPlainStartThatFailsIsExitCodeOneWithPgCtlsWords() throws {
        let h = AgentRunTests.node()
        h.cluster.programs["pg_ctl"] = { _ in
            .success(
                CommandResult(
                    termination: .exited(1), standardOutput: "", standardError: "pg_ctl: could not start server"))
        }
        #expect(AgentRunTests.run(h, ["start"]) == .genericError)
        #expect(h.agentLog.contains("ERROR: Can't start PostgreSQL: pg_ctl: could not start server\n"))
        #expect(h.log.matching("run pg_ctl").count == 1)
    }

    /// rep_mode=slave: a DR standby that is started with recovery files, monitored like a plain one.
    @Test func aSlaveStartsWithRecoveryFiles() throws {
        let h = AgentRunTests.node(["OCF_RESKEY_rep_mode": "slave"])
        h.cluster.programs["pg_ctl"] = { _ in
            .success(
                CommandResult(
                    termination: .exited(1), standardOutput: "", standardError: "pg_ctl: could not start server"))
        }
        #expect(AgentRunTests.run(h, ["monitor"]) == .notRunning)
        #expect(AgentRunTests.run(h, ["start"]) == .genericError)
        #expect(
            h.file("recovery.conf")
                == "primary_conninfo = 'host=127.0.0.1 port=5432 user=postgres application_name=pgn1'\n"
                + "restore_command = ''\nrecovery_target_timeline = 'latest'\n")
        #expect(TextFile.exists(h.pgdata + "/standby.signal"))
        #expect(h.log.matching("run pg_ctl").count == 1, "\(h.log.entries)")
    }
}
