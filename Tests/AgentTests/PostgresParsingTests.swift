import Exec
import Postgres
import Testing

@Suite struct PostgresParsingTests {
    @Test(arguments: [
        ("", [String]()), ("-w", ["-w"]), ("  -t   30 ", ["-t", "30"]), ("-o '-c a=b'", ["-o", "-c a=b"]),
        ("\"x \\\"y\\\"\"", ["x \"y\""]), ("a\\ b", ["a b"]), ("''", [""]), ("--opt=\"v w\"z", ["--opt=v wz"]),
    ])
    func shellWords(_ text: String, _ words: [String]) throws {
        #expect(try ShellWords.split(text) == words)
    }

    @Test func shellWordFailures() {
        #expect(throws: ShellWords.Failure.unterminatedQuote) { try ShellWords.split("'open") }
        #expect(throws: ShellWords.Failure.unterminatedQuote) { try ShellWords.split("\"open") }
        #expect(throws: ShellWords.Failure.trailingBackslash) { try ShellWords.split("x\\") }
    }

    @Test(arguments: [("/var/lib/pg", "/var/lib/pg"), ("has space", "'has space'"), ("it's", "'it'\\''s'"), ("", "''")])
    func shellQuoting(_ word: String, _ quoted: String) {
        #expect(ShellWords.quote(word) == quoted)
    }

    @Test func configValues() {
        let config = ConfigFile(
            text: """
                #unix_socket_directories = '/commented'
                unix_socket_directories = '/var/run/postgresql, /tmp'	# comment
                  port = 5433 # trailing
                stats_temp_directory='pg_stat_tmp'
                port 5434
                unix_socket_directory_x = 'other'
                quoted = 'it''s # not a comment'
                """)
        #expect(config.value(of: "unix_socket_directories") == "/var/run/postgresql, /tmp")
        #expect(config.value(of: "port") == "5434")
        #expect(config.value(of: "stats_temp_directory") == "pg_stat_tmp")
        #expect(config.value(of: "unix_socket_directory") == nil)
        #expect(config.value(of: "quoted") == "it's # not a comment")
        // Read as the server's lexer reads it: \\ is a backslash, \t a tab, \' a quote.
        let escaped = ConfigFile(text: #"restore_command = 'C:\\dir\\\tx\'q' # comment"#)
        #expect(escaped.value(of: "restore_command") == "C:\\dir\\\tx'q")
        #expect(config.value(of: "listen_addresses") == nil)
    }

    @Test func pidFile() throws {
        let file = try #require(
            PostmasterPidFile(
                contents:
                    "4242\n/var/lib/pgsql/data\n1700000000\n5432\n/var/run/postgresql\n*\n  5432001   3\nready   \n"))
        #expect(file.pid == 4242)
        #expect(file.dataDirectory == "/var/lib/pgsql/data")
        #expect(file.port == 5432)
        #expect(file.socketDirectory == "/var/run/postgresql")
        #expect(file.status == "ready")
        #expect(PostmasterPidFile(contents: "") == nil)
        #expect(PostmasterPidFile(contents: "-1\n") == nil)
        #expect(PostmasterPidFile(contents: "garbage") == nil)
        #expect(PostmasterPidFile(contents: "77")?.pid == 77)
    }

    @Test func versions() {
        #expect(PostgresVersion("15\n").map { $0.major } == 15)
        #expect(PostgresVersion("9.6")! < PostgresVersion(major: 10))
        #expect(PostgresVersion("9.3")! >= PostgresVersion(major: 9, minor: 3))
        #expect(PostgresVersion("x") == nil)
        #expect(PostgresVersion("") == nil)
    }

    @Test func pgCtlArgv() {
        struct NoRunner: CommandRunnerStub {}
        let ctl = PgCtl(
            executable: "/usr/bin/pg_ctl", dataDirectory: "/d",
            owner: .init(name: "postgres", uid: 1, gid: 1, home: "/", shell: "/bin/sh", groups: [1]), environment: [:],
            runner: NoRunner())
        #expect(
            ctl.startArguments(
                extraOptions: ["-s"], logFile: "/l", serverOptions: "-c config_file=/c", waitSeconds: 117)
                == ["-s", "-D", "/d", "-l", "/l", "-o", "-c config_file=/c", "-w", "-t", "117", "start"])
        #expect(ctl.startArguments(extraOptions: [], logFile: "/l", serverOptions: "", waitSeconds: 0).contains("1"))
        #expect(ctl.stopArguments(.fast) == ["-W", "-D", "/d", "stop", "-m", "fast"])
        #expect(ctl.stopArguments(.immediate) == ["-W", "-D", "/d", "stop", "-m", "immediate"])
    }
}
