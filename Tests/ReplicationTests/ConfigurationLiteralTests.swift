import Replication
import Testing

/// Values written into PostgreSQL's configuration files come back from its lexer unchanged.
@Suite struct ConfigurationLiteralTests {
    /// Operator's value → the literal written (raw strings: what is in the file, byte for byte).
    @Test(arguments: [
        ("", #"''"#),
        ("cp /arch/%f %p", #"'cp /arch/%f %p'"#),
        ("cp '/arch/%f' %p", #"'cp ''/arch/%f'' %p'"#),
        (#"C:\arch"#, #"'C:\\arch'"#),
        (#"printf 'a\tb'"#, #"'printf ''a\\tb'''"#),
        (#"trailing\"#, #"'trailing\\'"#),
        (#"\\"#, #"'\\\\'"#),
        (#"\101 \x"#, #"'\\101 \\x'"#),
        ("real\ttab", "'real\ttab'"),
        ("two\nlines", #"'two\nlines'"#),
        ("crlf\r\nend", #"'crlf\r\nend'"#),
        ("naïve ✓", "'naïve ✓'"),
    ])
    func quoting(_ value: String, _ literal: String) {
        #expect(ConfigurationLiteral.quote(value) == literal)
        #expect(ConfigurationLiteral.unquote(Substring(literal))?.value == value, "reads back as written")
    }

    /// What the server's lexer makes of literals written by hand (guc-file.l's rules).
    @Test(arguments: [
        (#"'it''s'"#, "it's"),
        (#"'it\'s'"#, "it's"),
        (#"'\b\f\n\r\t'"#, "\u{8}\u{C}\n\r\t"),
        (#"'\101\1012\7'"#, "AA2\u{7}"),
        (#"'\x\q\\'"#, #"xq\"#),
        (#"'a' # comment"#, "a"),
    ])
    func readingAsTheServerDoes(_ literal: String, _ value: String) {
        #expect(ConfigurationLiteral.unquote(Substring(literal))?.value == value)
    }

    @Test func restAfterTheLiteral() {
        #expect(ConfigurationLiteral.unquote("'a''b' # added by pgsql RA")?.rest == " # added by pgsql RA")
    }

    @Test(arguments: ["", "bare", "'unclosed", #"'ends in escape\'"#, "'line\nbreak'", "'escaped \\\nbreak'"])
    func notALiteral(_ text: String) {
        #expect(ConfigurationLiteral.unquote(Substring(text)) == nil)
    }

    @Test(arguments: [
        ("10.0.0.1", "10.0.0.1"), ("repl", "repl"), ("", "''"), ("o'brien", #"'o\'brien'"#),
        (#"back\slash"#, #"'back\\slash'"#), ("two words", "'two words'"), ("tab\there", "'tab\there'"),
    ])
    func conninfoValues(_ value: String, _ quoted: String) {
        #expect(ConninfoValue.quote(value) == quoted)
    }
}
