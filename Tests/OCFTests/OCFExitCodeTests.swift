import OCF
import Testing

@Suite struct OCFExitCodeTests {
    @Test func codesMatchTheSpecification() {
        let expected: [OCFExitCode: Int32] = [
            .success: 0, .genericError: 1, .invalidArgument: 2, .unimplemented: 3, .insufficientPrivilege: 4,
            .notInstalled: 5, .notConfigured: 6, .notRunning: 7, .runningPromoted: 8, .failedPromoted: 9,
            .degraded: 190, .degradedPromoted: 191,
        ]
        #expect(OCFExitCode.allCases.count == expected.count)
        for code in OCFExitCode.allCases {
            #expect(code.rawValue == expected[code], "\(code)")
        }
    }

    @Test func actionsParseFromTheirCommandLineNames() {
        #expect(OCFAction(rawValue: "meta-data") == .metaData)
        #expect(OCFAction(rawValue: "validate-all") == .validateAll)
        #expect(OCFAction(rawValue: "reload") == nil)
        #expect(OCFAction.allCases.filter(\.isDescriptive) == [.metaData, .methods])
    }

    @Test(arguments: [
        ("yes", true), ("TRUE", true), ("1", true), ("on", true), ("no", false), ("False", false), ("0", false),
        ("off", false), ("maybe", nil), ("", nil),
    ] as [(String, Bool?)])
    func booleans(_ text: String, _ expected: Bool?) {
        #expect(OCFBoolean.parse(text) == expected)
    }
}
