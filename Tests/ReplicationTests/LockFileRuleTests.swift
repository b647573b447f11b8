import Replication
import Testing

@Suite struct LockFileRuleTests {
    static let a = NodeName("pgn1")!, b = NodeName("pgn2")!

    @Test(arguments: [
        ("no notification variables: keep", nil, nil, false),
        ("no unpromoted instance existed: remove", [], [], true),
        ("a standby remains: keep", [b], [a], false),
        ("whole clone stops (standby stops too): remove", [b], [a, b], true),
    ] as [(String, [NodeName]?, [NodeName]?, Bool)])
    func removalOnDemote(_ name: String, _ unpromoted: [NodeName]?, _ stopping: [NodeName]?, _ remove: Bool) {
        #expect(LockFileRule.removeOnDemote(unpromoted: unpromoted, stopping: stopping) == remove, "\(name)")
    }

    @Test func refusalTextIsTheShellAgents() {
        #expect(LockFileRule.refusal(path: "/t/PGSQL.lock")
            == "My data may be inconsistent. You have to remove /t/PGSQL.lock file to force start.")
    }
}
