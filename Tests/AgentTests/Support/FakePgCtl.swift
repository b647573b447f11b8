import Exec

/// `pg_ctl` for ``FakeCluster/programs``: `start` launches a ``StandInPostmaster`` in the data
/// directory (unless told not to) and exits as told; `stop` ends every stand-in it knows (those it
/// launched and those ``adopt(_:)`` gave it); other commands exit 0.
///
/// It keeps what it saw: the arguments of each start and which files existed in the data directory
/// then (``filesAtStart``). ``end()`` kills and reaps every stand-in it knows.
final class FakePgCtl {
    let pgdata: String
    var launches = true
    var result = CommandResult(termination: .exited(0), standardOutput: "", standardError: "")
    /// A failure to run pg_ctl start at all, instead of `result`.
    var failure: CommandError?
    /// The data directory's files looked for at each start.
    var watched = ["postmaster.pid"]
    private(set) var postmasters: [StandInPostmaster] = []
    private(set) var starts: [[String]] = []
    /// Per start, the watched files that existed then.
    private(set) var filesAtStart: [[String]] = []

    init(pgdata: String) { self.pgdata = pgdata }

    deinit { end() }

    /// A running stand-in that `stop` should end.
    func adopt(_ postmaster: StandInPostmaster) { postmasters.append(postmaster) }

    /// The script to put into ``FakeCluster/programs`` as `pg_ctl`.
    var script: (_ arguments: [String]) -> Result<CommandResult, CommandError> {
        { [self] arguments in
            let success = CommandResult(termination: .exited(0), standardOutput: "", standardError: "")
            if arguments.contains("stop") {
                end()
                return .success(success)
            }
            guard arguments.last == "start" else { return .success(success) }
            starts.append(arguments)
            filesAtStart.append(watched.filter { ReplicationHarness.contents(of: pgdata + "/" + $0) != nil })
            if let failure { return .failure(failure) }
            if launches, let postmaster = try? StandInPostmaster(in: pgdata) { postmasters.append(postmaster) }
            return .success(result)
        }
    }

    func end() { for postmaster in postmasters { postmaster.end() } }
}
