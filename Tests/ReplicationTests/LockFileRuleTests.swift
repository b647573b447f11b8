import Replication
import Testing

@Suite struct LockFileRuleTests {
    static let a = NodeName.fixture("pgn1"), b = NodeName.fixture("pgn2")

    @Test(
        arguments: [
            ("no notification variables: keep", nil, nil, false, false),
            ("no unpromoted instance existed: remove", [], [], false, true),
            ("a standby remains: keep", [b], [a], false, false),
            ("whole clone stops (standby stops too): remove", [b], [a, b], false, true),
            ("minority of a partition, no standby in sight: keep", [], [], true, false),
        ] as [(String, [NodeName]?, [NodeName]?, Bool, Bool)])
    func removalOnDemote(
        _ name: String, _ unpromoted: [NodeName]?, _ stopping: [NodeName]?, _ partitioned: Bool, _ remove: Bool
    ) {
        #expect(
            LockFileRule.removeOnDemote(unpromoted: unpromoted, stopping: stopping, partitioned: partitioned)
                == remove, "\(name)")
    }

    @Test(
        arguments: [
            ("not partitioned: the configured fast shutdown first", 90, false, 90),
            ("partitioned: immediate at once (walsenders cannot reach their standbys)", 90, true, 0),
        ] as [(String, Int, Bool, Int)])
    func partitionEscalation(_ name: String, _ configured: Int, _ partitioned: Bool, _ seconds: Int) {
        #expect(PartitionStop.escalation(configured: configured, partitioned: partitioned) == seconds, "\(name)")
    }

    @Test func refusalTextIsTheShellAgents() {
        #expect(
            LockFileRule.refusal(path: "/t/PGSQL.lock")
                == "My data may be inconsistent. You have to remove /t/PGSQL.lock file to force start.")
    }
}
