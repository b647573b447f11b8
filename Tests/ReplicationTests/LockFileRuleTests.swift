import Replication
import Testing

@Suite struct LockFileRuleTests {
    static let a = NodeName.fixture("pgn1"), b = NodeName.fixture("pgn2")

    @Test(
        arguments: [
            ("no notification variables: keep", nil, nil, true, false),
            ("no unpromoted instance existed: remove", [], [], true, true),
            ("a standby remains: keep", [b], [a], true, false),
            ("whole clone stops (standby stops too): remove", [b], [a, b], true, true),
            ("partition without quorum, no standby in sight: keep", [], [], false, false),
            ("quorum unknown (no cluster view): keep", [], [], nil, false),
        ] as [(String, [NodeName]?, [NodeName]?, Bool?, Bool)])
    func removalOnDemote(
        _ name: String, _ unpromoted: [NodeName]?, _ stopping: [NodeName]?, _ quorum: Bool?, _ remove: Bool
    ) {
        #expect(
            LockFileRule.removeOnDemote(unpromoted: unpromoted, stopping: stopping, quorum: quorum) == remove, "\(name)"
        )
    }

    @Test(
        arguments: [
            ("quorum: the configured fast shutdown first", 90, true, 90),
            ("no quorum: immediate at once (walsenders cannot reach their standbys)", 90, false, 0),
            ("quorum unknown: as configured", 30, nil, 30),
        ] as [(String, Int, Bool?, Int)])
    func partitionEscalation(_ name: String, _ configured: Int, _ quorum: Bool?, _ seconds: Int) {
        #expect(PartitionStop.escalation(configured: configured, quorum: quorum) == seconds, "\(name)")
    }

    @Test func refusalTextIsTheShellAgents() {
        #expect(
            LockFileRule.refusal(path: "/t/PGSQL.lock")
                == "My data may be inconsistent. You have to remove /t/PGSQL.lock file to force start.")
    }
}
