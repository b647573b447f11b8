import Agent
import Exec
import OCF
import Replication
import Testing

/// node_list entries are PostgreSQL application names and slot names: names PostgreSQL would change,
/// duplicates and shared slots are configuration errors (6); a node_list without this node keeps the
/// resource off this node (2), while stop and probes still tell the truth.
@Suite struct NodeListValidationTests {
    func failure(_ env: [String: String]) -> ActionFailure? {
        do {
            let p = try AgentParameters(env)
            _ = try Validation.level0(p)
            return nil
        } catch {
            return error
        }
    }

    static let sync = [
        "OCF_RESKEY_pgdba": "root", "OCF_RESKEY_rep_mode": "sync", "OCF_RESKEY_master_ip": "10.9.9.9",
        "OCF_RESKEY_node_list": "pgn1 pgn2",
    ]

    @Test(
        arguments: [
            ("node_list", "pgn1 pgné2", "printable ASCII"),
            ("node_list", "pgn1 " + String(repeating: "n", count: 64), "longer than 63 bytes"),
            ("node_list", "pgn1 pg,2", "quote"),
            ("external_standby_node_list", "dr\u{80}1", "printable ASCII"),
            ("node_list", "pgn1 pgn2 pgn1", "names pgn1 twice"),
            ("node_list", "pgn1 pgn2 PGN1", "names PGN1 twice (as pgn1)"),
            ("external_standby_node_list", "dr1 DR1", "names DR1 twice"),
        ])
    func namesPostgreSQLWouldChangeOrDuplicates(_ parameter: String, _ value: String, _ reason: String) throws {
        let error = try #require(failure(Self.sync.merging(["OCF_RESKEY_\(parameter)": value]) { $1 }))
        #expect(error.code == .notConfigured)
        #expect(error.reason.contains(parameter) && error.reason.contains(reason), "\(error.reason)")
    }

    @Test func longestNameAndPlainNamesPass() {
        #expect(
            failure(Self.sync.merging(["OCF_RESKEY_node_list": "pgn1 " + String(repeating: "n", count: 63)]) { $1 })
                == nil)
        #expect(failure(Self.sync.merging(["OCF_RESKEY_node_list": "pgn1 node-2.example"]) { $1 }) == nil)
    }

    /// `pgn-1` and `pgn_1` would both stream from the slot `<name>_pgn_1`.
    @Test func nodesSharingASlotAreAConfigurationError() throws {
        let env = Self.sync.merging(["OCF_RESKEY_node_list": "pgn-1 pgn_1", "OCF_RESKEY_replication_slot_name": "s"]) {
            $1
        }
        let error = try #require(failure(env))
        #expect(error.code == .notConfigured)
        #expect(error.reason.contains("share the replication slot s_pgn_1"), "\(error.reason)")
        #expect(failure(env.merging(["OCF_RESKEY_replication_slot_name": ""]) { $1 }) == nil, "no slots: no clash")
    }

    @Test func membershipNamesTheSpellingPacemakerUses() throws {
        let p = try AgentParameters(Self.sync.merging(["OCF_RESKEY_node_list": "PGN1 pgn2"]) { $1 })
        #expect(throws: Never.self) { try Validation.membership(p, me: NodeName("PGN1")) }
        do {
            try Validation.membership(p, me: NodeName("pgn1"))
            Issue.record("pgn1 accepted for node_list PGN1 pgn2")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.reason.contains("spells this node PGN1, Pacemaker calls it pgn1"), "\(error.reason)")
        }
        do {
            try Validation.membership(p, me: NodeName("pgn3"))
            Issue.record("pgn3 accepted")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.reason.contains("pgn3, is not in node_list (PGN1 pgn2)"), "\(error.reason)")
        }
        let slave = try AgentParameters(["OCF_RESKEY_rep_mode": "slave", "OCF_RESKEY_node_list": "pgn1"])
        #expect(throws: Never.self) { try Validation.membership(slave, me: NodeName("dr1")) }
    }

    /// A node outside node_list: start (and promote, notify) are refused with 2, which keeps the
    /// resource off this node only (6 would stop it everywhere, the primary too); stop, probes and
    /// validate-all answer as on any node where PostgreSQL does not run.
    @Test(
        arguments: [
            ("start", "pgn3", [:], OCFExitCode.invalidArgument),
            ("start", "PGN1", [:], .invalidArgument),
            ("promote", "pgn3", [:], .invalidArgument),
            ("monitor", "pgn3", [:], .notRunning),
            ("monitor", "pgn3", ["OCF_RESKEY_CRM_meta_interval": "4000"], .notRunning),
            ("stop", "pgn3", [:], .success),
            ("validate-all", "pgn3", [:], .success),
        ] as [(String, String, [String: String], OCFExitCode)])
    func aNodeOutsideNodeList(_ action: String, _ node: String, _ extra: [String: String], _ code: OCFExitCode) throws {
        let sandbox = try AgentSandbox()
        let runner = RecordingRunner(crmMon: AgentSandbox.crmMon(online: ["pgn1": true, "pgn2": true, node: true]))
        let result = Agent.run(arguments: [action], environment: sandbox.environment(node: node, extra), runner: runner)
        #expect(result == code)
        if action == "start" || action == "promote" {
            #expect(runner.commands.isEmpty, "refused before anything runs")
        }
    }
}
