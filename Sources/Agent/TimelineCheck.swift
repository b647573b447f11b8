#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres
import Replication

/// The standby monitor's divergence check (`TimelineDivergence`): pg_wal is read with pgdba's
/// identity (never root's), the newest history file only when it is newer than every WAL segment, and
/// through a descriptor that follows no link, blocks on no FIFO and reads at most 64 KiB.
struct TimelineCheck {
    let r: ReplicationContext

    /// Throws the divergence as a generic error (Pacemaker's recovery: stop, and start again while the
    /// fail count allows); otherwise returns, having set nothing.
    func failIfDiverged(streaming: Bool) throws(ActionFailure) {
        guard !streaming else { return }
        let major = PostgresVersion.ofDataDirectory(r.p.pgdata)?.major ?? 10
        let path = r.p.pgdata + (major >= 10 ? "/pg_wal" : "/pg_xlog")
        guard snapshot(path).directory.historyToRead != nil else { return }
        // pg_wal is read again after the replay position: a segment of a later timeline that the replay
        // reached in between is then seen.
        let query = major >= 10 ? "select pg_last_wal_replay_lsn()" : "select pg_last_xlog_replay_location()"
        guard let text = try r.sql(query).first?.first ?? nil, let replayed = LSN(postgres: text) else { return }
        let (directory, history) = snapshot(path)
        guard let newest = directory.historyToRead, let mine = directory.replayTimeline else { return }
        switch TimelineDivergence.decide(
            replayTimeline: mine, replayLSN: replayed, newestTimeline: newest, history: history, streaming: streaming)
        {
        case .diverged(let divergence): throw ActionFailure(.genericError, divergence.reason)
        case .cannotTell:
            r.logger.warning("Cannot read \(path)/\(TimelineDivergence.WALDirectory.historyFileName(newest))")
        case .follows, .notJudged: break
        }
    }

    /// pg_wal's names, and the newest history file when it is newer than every segment, read as pgdba.
    private func snapshot(_ path: String) -> (directory: TimelineDivergence.WALDirectory, history: String?) {
        EffectiveUser.run(as: r.context.owner) {
            let directory = TimelineDivergence.WALDirectory(names: Self.entries(path))
            let history = directory.historyToRead.flatMap {
                Self.smallFile(path, TimelineDivergence.WALDirectory.historyFileName($0))
            }
            return (directory, history)
        }
    }

    /// The names in a directory; empty when it cannot be read.
    private static func entries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            names.append(
                withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        return names
    }

    /// A small regular file in `directory`, or nil.
    private static func smallFile(_ directory: String, _ name: String, limit: Int = 65536) -> String? {
        let fd = open(directory + "/" + name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= limit else { return nil }
        var data = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < data.count {
            let n = data.withUnsafeMutableBytes { buffer in
                buffer.baseAddress.map { read(fd, $0 + done, buffer.count - done) } ?? 0
            }
            if n > 0 {
                done += n
            } else if n == 0 || errno != EINTR {
                break
            }
        }
        return String(decoding: data.prefix(done), as: UTF8.self)
    }
}
