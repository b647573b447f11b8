@testable import Agent
import Exec
import OCF
import Replication
import Testing

/// The primary's monitor and an offline standby: crm_mon shows no attributes of an offline node, so
/// its `<rsc>-data-status` is read from the CIB (`crm_attribute -G`) and written only when it changes,
/// not rewritten on every monitor.
@Suite struct OfflineDataStatusTests {
    static let read = ["-G", "-q", "-l", "forever", "-N", "pgn2", "-n", "pgsql-data-status"]
    static let write = ["-l", "forever", "-N", "pgn2", "-n", "pgsql-data-status", "-v", "DISCONNECT"]

    /// The attribute writes of one primary monitor that finds pgn2 not streaming.
    func primaryMonitor(runner: RecordingRunner) throws {
        let sandbox = try AgentSandbox()
        let env = sandbox.environment()
        let logger = OCFLogger(configuration: LogConfiguration(ident: "test", logFile: sandbox.root + "/agent.log"))
        let context = AgentContext(
            action: .monitor, environment: env, ocf: try OCFEnvironment(env), parameters: try AgentParameters(env),
            logger: logger, runner: runner, deadline: Deadline(after: .seconds(10)),
            owner: try #require(UserAccount.current))
        let r = try ReplicationContext(context: context)
        let decision = StandbyControl.decide(
            StandbyControl.Input(
                primary: try #require(NodeName("pgn1")), nodeList: try #require(NodeName.list("pgn1 pgn2")),
                mode: .sync, rows: [],
                synchronousStandbyNames: .none))
        for _ in 0..<2 { try r.apply(r.planner(r.clusterOrSelf()).writes(for: decision)) }
    }

    func crmMon(pgn2Online: Bool, pgn2: [String: String] = [:]) -> String {
        AgentSandbox.crmMon(
            online: ["pgn1": true, "pgn2": pgn2Online],
            attributes: ["pgn1": ["pgsql-status": "PRI", "pgsql-data-status": "LATEST"], "pgn2": pgn2])
    }

    @Test func anUnchangedValueOfAnOfflineNodeIsReadNotWritten() throws {
        let runner = RecordingRunner(
            crmMon: crmMon(pgn2Online: false), stored: ["pgn2 pgsql-data-status": "DISCONNECT"])
        try primaryMonitor(runner: runner)
        #expect(runner.runs(of: "crm_mon").count == 1)
        #expect(runner.runs(of: "crm_attribute") == [Self.read], "one read, no write, nothing the second time")
    }

    @Test(arguments: [["pgn2 pgsql-data-status": "STREAMING|SYNC"], [:]])
    func aChangedOrMissingValueIsWrittenOnce(_ stored: [String: String]) throws {
        let runner = RecordingRunner(crmMon: crmMon(pgn2Online: false), stored: stored)
        try primaryMonitor(runner: runner)
        #expect(runner.runs(of: "crm_attribute") == [Self.read, Self.write])
    }

    @Test func aFailedReadFallsBackToWriting() throws {
        let runner = RecordingRunner(crmMon: crmMon(pgn2Online: false))
        runner.readsFail = true
        try primaryMonitor(runner: runner)
        #expect(runner.runs(of: "crm_attribute") == [Self.read, Self.write])
    }

    @Test func anOnlineNodesValueComesFromCrmMon() throws {
        let runner = RecordingRunner(crmMon: crmMon(pgn2Online: true, pgn2: ["pgsql-data-status": "DISCONNECT"]))
        try primaryMonitor(runner: runner)
        #expect(runner.runs(of: "crm_attribute").isEmpty)
        let changed = RecordingRunner(crmMon: crmMon(pgn2Online: true, pgn2: ["pgsql-data-status": "STREAMING|SYNC"]))
        try primaryMonitor(runner: changed)
        #expect(changed.runs(of: "crm_attribute").contains(Self.write))
        #expect(!changed.runs(of: "crm_attribute").contains(Self.read))
    }
}
