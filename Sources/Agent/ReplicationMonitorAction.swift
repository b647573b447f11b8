#if canImport(Glibc)
    import Glibc
#endif
import Exec
import OCF
import Postgres
import Replication

/// `monitor` in rep_mode sync/async: 8 for the primary (which then controls its standbys), 0 for a
/// standby (which, while no primary exists, works out whether it should be promoted), 7 when down.
struct ReplicationMonitorAction {
    let r: ReplicationContext

    func run() throws(ActionFailure) -> OCFExitCode {
        do { return try check() } catch {
            // A postmaster that died during the monitor (kill -9, OOM killer) is "not running",
            // not a generic error.
            guard case .running = ServerProcess.state(dataDirectory: r.p.pgdata) else {
                r.logger.info("PostgreSQL went down during the monitor (\(error.reason))")
                return .notRunning
            }
            throw error
        }
    }

    private func check() throws(ActionFailure) -> OCFExitCode {
        let context = r.context
        guard case .running = ServerProcess.state(dataDirectory: r.p.pgdata) else {
            context.logger.info("PostgreSQL is down")
            if r.p.checkWALReceiver && !context.isProbe { try? receiverStatus(.error) }
            return .notRunning
        }
        // pg_is_in_recovery() and the WAL receiver's row (pg_stat_wal_receiver) in one query.
        let inRecovery: Bool
        let receiver: WALReceiverStatus.Receiver
        do throws(ActionFailure) {
            guard let answer = WALReceiverStatus.parse(try r.sql(WALReceiverReport.query(pgdata: r.p.pgdata))) else {
                throw ActionFailure(.genericError, "unexpected answer to pg_is_in_recovery()")
            }
            (inRecovery, receiver) = answer
        } catch {
            throw ActionFailure(.genericError, "Can't get PostgreSQL recovery status: \(error.reason)")
        }
        if r.p.checkWALReceiver, let status = WALReceiverStatus(inRecovery: inRecovery, receiver: receiver) {
            try receiverStatus(status)
        }
        if inRecovery {
            if context.isProbe {
                try r.setOwnScore(.cannotPromote)
                return .success
            }
            try standby(streaming: receiver == .state("streaming"))
            return .success
        }
        if r.p.monitorSQL != AgentParameters.defaultMonitorSQL {
            do { _ = try r.sql(r.p.monitorSQL) } catch {
                throw ActionFailure(.genericError, "PostgreSQL \(r.p.pgdb) isn't answering monitor_sql: \(error.reason)")
            }
        }
        if context.isProbe { try r.setOwnScore(.promoteMe) }
        try r.setDataStatus(.latest)
        try r.setStatus(.primary)
        try PrimaryControl(r: r).run()
        return .runningPromoted
    }

    /// A standby: with no promoted instance anywhere, it is alone and may claim the master right;
    /// with one, a DISCONNECTed standby says it is alone.
    ///
    /// A standby whose WAL receiver is streaming has a primary, and that primary's monitor sets this
    /// node's status and data status from `pg_stat_replication`: nothing to decide here, so no cluster
    /// query (the shell agent runs crm_mon on every standby monitor). Only a standby that is not
    /// streaming asks the cluster whether a promoted instance exists.
    private func standby(streaming: Bool) throws(ActionFailure) {
        if streaming {
            r.logger.debug("Streaming from the primary")
            return
        }
        try TimelineCheck(r: r).failIfDiverged(streaming: streaming)
        let view = try r.cluster()
        if view.promotedNodes.isEmpty {
            r.logger.info("Master does not exist.")
            try r.setStatus(.aloneStandby)
            if try masterRight(view) { r.removeNotes() }
        } else if view.attribute(r.me, r.names.dataStatus) == DataStatus.disconnect.description {
            try r.setStatus(.aloneStandby)
        }
    }

    private func masterRight(_ view: ClusterStatus) throws(ActionFailure) -> Bool {
        let own = view.attribute(r.me, r.names.dataStatus)
        let dataStatus = own.flatMap(DataStatus.init(attribute:))
        if let own, dataStatus == nil { r.logger.warning("Unreadable \(r.names.dataStatus) '\(own)' on \(r.me)") }
        guard MasterRight.acceptable(dataStatus, mode: r.mode), own == nil || dataStatus != nil else {
            r.logger.warning("My data is out-of-date. status=\(own ?? "")")
            return false
        }
        let location: LSN
        do { location = try r.myLocation() } catch {
            throw ActionFailure(.genericError, "Failed to show my xlog location: \(error.reason)")
        }
        try r.setOwn(r.names.xlogLocation, location.attribute)
        var locations: [(node: NodeName, location: String)] = []
        for node in r.p.nodeList {
            if node == r.me {
                locations.append((node, location.attribute))
            } else if let value = view.attribute(node, r.names.xlogLocation), LSN(attribute: value) != nil {
                locations.append((node, value))
            }
        }
        var last = 0
        for k in 1...max(1, r.p.xlogCheckCount) where last == k - 1 && TextFile.exists(r.notePath(k)) { last = k }
        let lastNote = TextFile.read(r.notePath(last)).map { text in
            var t = Substring(text)
            while t.hasSuffix("\n") { t = t.dropLast() }
            return String(t)
        }
        let decision = MasterRight.decide(
            MasterRight.Input(
                mode: r.mode, dataStatus: dataStatus, me: r.me, myLocation: location, locations: locations,
                lastNoteIndex: last, lastNote: lastNote, checkCount: r.p.xlogCheckCount))
        do {
            switch decision.notes {
            case .none: break
            case .write(let index, let content):
                try OwnedFile.write(r.notePath(index), content + "\n", owner: r.context.owner)
            case .reset(let content):
                r.removeNotes()
                try OwnedFile.write(r.notePath(0), content + "\n", owner: r.context.owner)
            }
        } catch {
            throw r.fileFailure(error)
        }
        switch decision.verdict {
        case .haveRight:
            r.logger.info("I have a master right.")
            try r.setOwnScore(.promoteMe)
            return true
        case .notNewest:
            r.logger.info("I don't have correct master data.")
            try r.setDataStatus(.disconnect)
            return false
        case .outOfDate, .collecting:
            return false
        }
    }

    /// `<rsc>-receiver-status` (check_wal_receiver), written when it changes.
    private func receiverStatus(_ status: WALReceiverStatus) throws(ActionFailure) {
        let report = WALReceiverReport(context: r.context)
        report.warnIfFailing(status)
        guard r.clusterOrSelf().attribute(r.me, r.names.receiverStatus) != status.rawValue else { return }
        try report.publish(status)
    }
}
