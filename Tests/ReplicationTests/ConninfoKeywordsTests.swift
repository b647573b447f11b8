import Replication
import Testing

@Suite struct ConninfoKeywordsTests {
    @Test(
        arguments: [
            ("keepalives_idle=60 keepalives_count=5", ["keepalives_idle", "keepalives_count"]),
            ("sslmode = require  options='-c a=\\'b c\\''", ["sslmode", "options"]),
            ("application_name=x", ["application_name"]),
            ("", []),
        ] as [(String, [String])])
    func keywords(_ text: String, _ keys: [String]) {
        #expect(ConninfoKeywords.keywords(of: text) == keys)
    }

    @Test(arguments: ["sslmode", "=x", "a='unterminated"])
    func malformed(_ text: String) { #expect(ConninfoKeywords.keywords(of: text) == nil) }
}
