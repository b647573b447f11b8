import Replication
import Testing

@Suite struct SynchronousStandbyNamesTests {
    @Test(arguments: [
        ("", [String]()), ("\"pgn2\"", ["pgn2"]), ("pgn2", ["pgn2"]), ("FIRST 2 (\"a\", \"b\")", ["a", "b"]),
        ("FIRST 2 (\"a\",\"b\")", ["a", "b"]), ("ANY 1 (a, b)", ["a", "b"]), ("a, b", ["a", "b"]),
    ])
    func parsesSettings(_ setting: String, _ names: [String]) {
        #expect(SynchronousStandbyNames(setting: setting).names == names)
    }

    @Test(arguments: [
        ([String](), "synchronous_standby_names = ''\n"), (["pgn2"], "synchronous_standby_names = '\"pgn2\"'\n"),
        (["pgn2", "dr1"], "synchronous_standby_names = 'FIRST 2 (\"pgn2\", \"dr1\")'\n"),
    ])
    func rendersRepModeConfLikeTheShellAgent(_ names: [String], _ content: String) {
        let value = SynchronousStandbyNames(names)
        #expect(value.repModeConf == content)
        #expect(SynchronousStandbyNames(repModeConf: content) == value)
    }

    @Test func missingOrForeignFileMeansNone() {
        #expect(SynchronousStandbyNames(repModeConf: "") == .none)
        #expect(SynchronousStandbyNames(repModeConf: "# nothing\n") == .none)
    }

    @Test(arguments: [
        (#"FIRST 2 ("a b", "c""d")"#, ["a b", #"c"d"#]), (#""x,y""#, ["x,y"]), (#""(p)", q"#, ["(p)", "q"]),
        ("*", ["*"]), ("ANY 2(a,b)", ["a", "b"]),
    ])
    func quotedNamesAreReadAsPostgreSQLReadsThem(_ setting: String, _ names: [String]) {
        #expect(SynchronousStandbyNames(setting: setting).names == names)
    }

    @Test func namesWithQuotesAndBackslashesSurviveTheFile() {
        let value = SynchronousStandbyNames([#"o'brien\1"#, #"say"hi"#])
        #expect(value.setting == #"FIRST 2 ("o'brien\1", "say""hi")"#)
        #expect(value.repModeConf == #"synchronous_standby_names = 'FIRST 2 ("o''brien\\1", "say""hi")'"# + "\n")
        #expect(SynchronousStandbyNames(repModeConf: value.repModeConf) == value)
    }
}
