import OCF
import Replication
import Testing

@Suite struct OCFEnvironmentTests {
    @Test func defaultsWhenPacemakerPassesNothing() throws {
        let env = try OCFEnvironment([:])
        #expect(env.resourceInstance == "pgsql")
        #expect(env.intervalMilliseconds == 0)
        #expect(env.isProbeInterval)
        #expect(env.timeoutMilliseconds == nil)
        #expect(!env.isPromotable)
        #expect(env.exitReasonPrefix == "ocf-exit-reason:")
        #expect(env.checkLevel == 0)
    }

    @Test func cloneSuffixIsStrippedForAttributeNames() throws {
        let env = try OCFEnvironment(["OCF_RESOURCE_INSTANCE": "pgsql:1"])
        #expect(env.resourceInstance == "pgsql:1")
        #expect(env.resourceName == "pgsql")
    }

    @Test func metaValues() throws {
        let env = try OCFEnvironment([
            "OCF_RESKEY_CRM_meta_interval": "4000", "OCF_RESKEY_CRM_meta_timeout": "20000",
            "OCF_RESKEY_CRM_meta_on_node": "pgn1", "OCF_RESKEY_CRM_meta_clone_max": "2",
            "OCF_EXIT_REASON_PREFIX": "reason:", "OCF_CHECK_LEVEL": "10", "OCF_RESKEY_crm_feature_set": "3.16.2",
        ])
        #expect(env.intervalMilliseconds == 4000)
        #expect(!env.isProbeInterval)
        #expect(env.timeoutMilliseconds == 20000)
        #expect(env.onNode == NodeName("pgn1"))
        #expect(env.cloneMax == 2)
        #expect(env.exitReasonPrefix == "reason:")
        #expect(env.checkLevel == 10)
        #expect(env.crmFeatureSet == "3.16.2")
    }

    /// The node Pacemaker's tools write this instance's attributes to when given none
    /// (`pcmk__node_attr_target`): the bundle's host with `container-attribute-target=host`.
    @Test(
        arguments: [
            ([:], nil as String?), (["OCF_RESKEY_CRM_meta_on_node": "pgn1"], "pgn1"),
            (["OCF_RESKEY_CRM_meta_on_node": "pgn1", "OCF_RESKEY_CRM_meta_physical_host": "h1"], "pgn1"),
            (
                [
                    "OCF_RESKEY_CRM_meta_on_node": "pgn1", "OCF_RESKEY_CRM_meta_physical_host": "h1",
                    "OCF_RESKEY_CRM_meta_container_attribute_target": "host",
                ], "h1"
            ),
            (
                [
                    "OCF_RESKEY_CRM_meta_on_node": "pgn1", "OCF_RESKEY_CRM_meta_physical_host": "h1",
                    "OCF_RESKEY_CRM_meta_container_attribute_target": "Host",
                ], "h1"
            ),
            (
                ["OCF_RESKEY_CRM_meta_on_node": "pgn1", "OCF_RESKEY_CRM_meta_container_attribute_target": "host"],
                "pgn1"
            ),
        ] as [([String: String], String?)])
    func attributeTarget(_ vars: [String: String], _ expected: String?) throws {
        #expect(try OCFEnvironment(vars).attributeTarget?.rawValue == expected)
    }

    @Test(arguments: [
        (["OCF_RESKEY_CRM_meta_promotable": "true"], true),
        (["OCF_RESKEY_CRM_meta_promotable": "false"], false),
        (["OCF_RESKEY_CRM_meta_master_max": "1"], true),
        (["OCF_RESKEY_CRM_meta_promoted_max": "1"], true),
        (["OCF_RESKEY_CRM_meta_promoted_max": "0", "OCF_RESKEY_CRM_meta_clone_max": "2"], false),
    ])
    func promotableDetection(_ vars: [String: String], _ expected: Bool) throws {
        #expect(try OCFEnvironment(vars).isPromotable == expected)
    }

    @Test(arguments: [
        "OCF_RESKEY_CRM_meta_interval", "OCF_RESKEY_CRM_meta_timeout", "OCF_RESKEY_CRM_meta_clone_max",
        "OCF_RESKEY_CRM_meta_master_max", "OCF_CHECK_LEVEL",
    ])
    func malformedNumbersAreInvalidArguments(_ key: String) {
        #expect(throws: ActionFailure.self) { try OCFEnvironment([key: "ten"]) }
        do {
            _ = try OCFEnvironment([key: "-5"])
            Issue.record("negative \(key) accepted")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.reason.contains(key))
        }
    }
}
