import Agent
import Exec
import OCF
import Testing

/// No program the agent runs, for any action, sees an `OCF_RESKEY_*` variable or the monitor
/// password; what the Pacemaker tools read from those variables is passed as `-N` instead.
@Suite struct ChildEnvironmentTests {
    static let twoNodes = AgentSandbox.crmMon(
        online: ["pgn1": true, "pgn2": true],
        attributes: ["pgn1": ["pgsql-status": "HS:alone", "master-pgsql": "100"], "pgn2": ["pgsql-status": "HS:sync"]])
    static let threeNodes = AgentSandbox.crmMon(
        online: ["pgn1": true, "pgn2": true, "pgn3": true],
        attributes: [
            "pgn1": ["pgsql-master-baseline": "0000000003000100"],
            "pgn2": ["pgsql-master-baseline": "0000000003000060"],
        ])

    /// Runs one action in a fresh sandbox and returns what it ran.
    func run(_ action: String, _ extra: [String: String], crmMon: String = twoNodes) throws -> [Command] {
        let sandbox = try AgentSandbox()
        let runner = RecordingRunner(crmMon: crmMon)
        _ = Agent.run(arguments: [action], environment: sandbox.environment(extra), runner: runner)
        return runner.commands
    }

    func allActions() throws -> [Command] {
        let wal = ["OCF_RESKEY_check_wal_receiver": "true"]
        let recurring = ["OCF_RESKEY_CRM_meta_interval": "4000"]
        let plain = ["OCF_RESKEY_rep_mode": "none"]
        let prePromote = [
            "OCF_RESKEY_node_list": "pgn1 pgn2 pgn3", "OCF_RESKEY_CRM_meta_notify_type": "pre",
            "OCF_RESKEY_CRM_meta_notify_operation": "promote", "OCF_RESKEY_CRM_meta_notify_promote_uname": "pgn2",
        ]
        var commands: [Command] = []
        commands += try run("start", wal)
        commands += try run("monitor", wal.merging(recurring) { $1 })
        commands += try run("stop", wal)
        commands += try run("demote", wal)
        commands += try run("notify", prePromote, crmMon: Self.threeNodes)
        commands += try run("start", plain)
        commands += try run("monitor", plain.merging(wal) { $1 }.merging(recurring) { $1 })
        commands += try run("stop", plain.merging(wal) { $1 })
        return commands
    }

    @Test func noChildSeesParametersOrThePassword() throws {
        let commands = try allActions()
        let programs = Set(commands.map(RecordingRunner.program))
        #expect(programs.isSuperset(of: ["crm_mon", "crm_attribute", "attrd_updater", "crm_resource", "pg_ctl"]))
        for command in commands {
            let program = RecordingRunner.program(command)
            let leaked = command.environment.keys.filter { $0.hasPrefix("OCF_RESKEY_") || $0 == "PGPASSWORD" }
            #expect(leaked.isEmpty, "\(program) \(command.arguments) got \(leaked.sorted())")
            #expect(!command.environment.values.contains { $0.contains(AgentSandbox.password) }, "\(program)")
            #expect(!command.arguments.contains { $0.contains(AgentSandbox.password) }, "\(program)")
            #expect(command.environment["PATH"] != nil && command.environment["OCF_RESOURCE_INSTANCE"] == "pgsql")
        }
    }

    /// `crm_attribute --promotion` and `attrd_updater` without `-N` would take the node from
    /// `OCF_RESKEY_CRM_meta_on_node`; the agent names it.
    @Test func ownAttributesNameTheirNode() throws {
        let commands = try run("stop", ["OCF_RESKEY_check_wal_receiver": "true"])
        let own = commands.filter {
            RecordingRunner.program($0) == "attrd_updater" || $0.arguments.contains("--promotion=pgsql")
        }
        #expect(own.count == 2)
        for command in own { #expect(RecordingRunner.value(after: "-N", in: command.arguments) == "pgn1") }
    }

    /// In a bundle with `container-attribute-target=host` they belong to the host, as
    /// `pcmk__node_attr_target` decides when the variables are there.
    @Test(arguments: [("host", "phys1"), ("HOST", "phys1"), ("guest", "pgn1")])
    func bundleAttributesGoToTheHost(_ target: String, _ expected: String) throws {
        let commands = try run(
            "stop",
            [
                "OCF_RESKEY_check_wal_receiver": "true", "OCF_RESKEY_CRM_meta_container_attribute_target": target,
                "OCF_RESKEY_CRM_meta_physical_host": "phys1",
            ])
        let own = commands.filter {
            RecordingRunner.program($0) == "attrd_updater" || $0.arguments.contains("--promotion=pgsql")
        }
        #expect(own.count == 2)
        for command in own { #expect(RecordingRunner.value(after: "-N", in: command.arguments) == expected) }
    }
}
