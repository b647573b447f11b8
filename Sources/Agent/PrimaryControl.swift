import Exec
import OCF
import Postgres
import Replication

/// The primary's control of its standbys (monitor, post-start, post-stop): attributes, scores and,
/// in sync mode, `synchronous_standby_names`. After a change of the synchronous standby the server
/// reloads and the standbys are looked at again (bounded, 2 s), as the shell agent does.
struct PrimaryControl {
    let r: ReplicationContext

    func run() throws(ActionFailure) {
        guard try controlOnce() else { return }
        for _ in 0..<10 where r.context.deadline.remaining > .seconds(3) {
            r.context.deadline.sleep(.milliseconds(200))
            if syncStandbyShowsUp() { break }
        }
        r.logger.info("re-controlling slave status.")
        _ = try controlOnce()
    }

    /// Whether the standby just made synchronous is reported as such yet.
    private func syncStandbyShowsUp() -> Bool {
        let wanted = Set(r.currentSyncNames().names)
        guard let rows = try? r.replicationRows() else { return false }
        return rows.contains { wanted.contains($0.applicationName) && $0.syncState == "SYNC" }
    }

    /// One decision; returns whether `synchronous_standby_names` changed (the caller re-controls).
    private func controlOnce() throws(ActionFailure) -> Bool {
        let rows: [ReplicationRow]
        do { rows = try r.replicationRows() } catch {
            throw ActionFailure(.genericError, "Can't get PostgreSQL replication status: \(error.reason)")
        }
        // A killed postmaster's walsenders exit at once while this session's backend lives on: rows
        // read after the postmaster died show every standby gone, and acting on them would mark the
        // standby that must take over DISCONNECT / -INFINITY. Rows read while it was alive are real.
        guard case .running = ServerProcess.state(dataDirectory: r.p.pgdata) else {
            throw ActionFailure(.genericError, "PostgreSQL went down while its standbys were looked at")
        }
        let decision = StandbyControl.decide(
            StandbyControl.Input(
                primary: r.me, nodeList: r.p.nodeList, mode: r.mode,
                externalStandbys: r.p.externalStandbyNodeList.map(\.rawValue), rows: rows,
                synchronousStandbyNames: r.currentSyncNames()))
        for name in rows.map(\.applicationName) where !r.p.nodeList.contains(where: { $0.rawValue == name })
            && !r.p.externalStandbyNodeList.contains(where: { $0.rawValue == name })
        {
            r.logger.debug("\(name) streams from this primary but is not in node_list; ignored")
        }
        let view = r.clusterOrSelf()
        if let names = decision.synchronousStandbyNames {
            r.logger.info("Setup synchronous_standby_names = \(names)")
            try r.writeSyncNames(names)
            try r.reload()
        }
        try r.apply(r.planner(view).writes(for: decision))
        return decision.synchronousStandbyNames != nil && !(decision.synchronousStandbyNames?.names.isEmpty ?? true)
    }
}
