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
            guard r.server.isRunning else {
                r.logger.info("PostgreSQL went down during the monitor (\(error.reason))")
                return .notRunning
            }
            throw error
        }
    }

    private func check() throws(ActionFailure) -> OCFExitCode {
        let context = r.context
        if case .unreadablePidFile(let reason, let postmasters) = ServerProcess.state(dataDirectory: r.p.pgdata) {
            _ = try MonitorAction.noPostmaster(reason, postmasters, context, monitor: true)
        }
        guard r.server.isRunning else {
            context.logger.info("PostgreSQL is down")
            if r.p.checkWALReceiver && !context.isProbe { try? receiverStatus(.error) }
            return .notRunning
        }
        // pg_is_in_recovery() and the WAL receiver's row (pg_stat_wal_receiver) in one query.
        let inRecovery: Bool
        let receiver: WALReceiverStatus.Receiver
        let lastMessageAge: Double?
        do throws(ActionFailure) {
            let answer = try r.sql(WALReceiverReport.query(pgdata: r.p.pgdata))
            guard let parsed = WALReceiverStatus.parse(answer) else {
                throw ActionFailure(.genericError, "unexpected answer to pg_is_in_recovery()")
            }
            (inRecovery, receiver) = parsed
            lastMessageAge = WALReceiverStatus.lastMessageAge(answer)
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
            try standby(
                shortcut: StandbyShortcut.applies(receiver: receiver, lastMessageAge: lastMessageAge),
                streaming: receiver == .state("streaming"))
            return .success
        }
        if r.p.monitorSQL != AgentParameters.defaultMonitorSQL {
            do { _ = try r.sql(r.p.monitorSQL) } catch {
                throw ActionFailure(.genericError, "PostgreSQL \(r.p.pgdb) isn't answering monitor_sql: \(error.reason)")
            }
        }
        // A probe must know whether this node is the cluster's primary before it claims anything;
        // a recurring monitor of the promoted instance goes on with what it can see.
        let view: ClusterStatus
        if context.isProbe {
            do { view = try r.cluster() } catch {
                throw ActionFailure(
                    .genericError,
                    "PostgreSQL runs as a primary here, and the cluster cannot be read to tell whether it is this"
                        + " cluster's primary (\(error.reason))")
            }
        } else {
            view = r.clusterOrSelf()
        }
        if !view.nodes.isEmpty, !view.promotedNodes.contains(r.me) { try refuseIfStale(view) }
        if context.isProbe {
            // A probe claims the role and nothing else: the standbys are the recurring monitor's.
            try r.setOwnScore(.promoteMe)
            try r.setDataStatus(.latest)
            try r.setStatus(.primary)
            return .runningPromoted
        }
        try r.setDataStatus(.latest)
        try r.setStatus(.primary)
        try PrimaryControl(r: r).run()
        return .runningPromoted
    }

    /// A primary Pacemaker does not run promoted here: it must be this cluster's primary (see
    /// ``RunningPrimary``), judged from every node's permanent data status (offline nodes too).
    private func refuseIfStale(_ view: ClusterStatus) throws(ActionFailure) {
        let permanent: [NodeName: [String: String]]
        do { permanent = try r.tools.permanentAttributes() } catch {
            throw ActionFailure(
                .genericError,
                "PostgreSQL runs as a primary here, and the node attributes cannot be read to tell whether it is"
                    + " this cluster's primary (\(error.reason))")
        }
        var dataStatus: [NodeName: DataStatus] = [:]
        for node in r.p.nodeList {
            if let value = permanent[node]?[r.names.dataStatus], let status = DataStatus(attribute: value) {
                dataStatus[node] = status
            }
        }
        guard case .stale(let reason) = RunningPrimary.judge(me: r.me, promoted: view.promotedNodes, dataStatus: dataStatus)
        else { return }
        try r.setOwnScore(.cannotPromote)
        throw ActionFailure(
            .genericError, "\(reason): it is not this cluster's primary; left to the operator (stop it, or re-clone it)")
    }

    /// A standby: with no promoted instance anywhere, it is alone and may claim the master right;
    /// with one, a DISCONNECTed standby says it is alone.
    ///
    /// While a primary is known to be there (``StandbyShortcut``) that primary's monitor sets this
    /// node's status and data status from `pg_stat_replication`: nothing to decide here, so no
    /// cluster query (the shell agent runs crm_mon on every standby monitor).
    private func standby(shortcut: Bool, streaming: Bool) throws(ActionFailure) {
        if shortcut {
            r.logger.debug("Streaming from the primary")
            return
        }
        try TimelineCheck(r: r).failIfDiverged(streaming: streaming)
        let view: ClusterStatus
        do { view = try r.cluster() } catch {
            // A streaming standby has a primary: the cluster being unreadable is no fault of its own.
            guard streaming else { throw error }
            r.logger.warning("\(error.reason); streaming from the primary, nothing to decide")
            return
        }
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
            try r.setOwnScore(.cannotPromote)
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
            } else if let value = view.attribute(node, r.names.xlogLocation) {
                locations.append((node, value))
            }
        }
        var last = 0
        for k in 1...max(1, r.p.xlogCheckCount) where last == k - 1 && TextFile.isRegularFile(r.notePath(k)) {
            last = k
        }
        let lastNote = TextFile.read(r.notePath(last)).map { text in
            var t = Substring(text)
            while t.hasSuffix("\n") { t = t.dropLast() }
            return String(t)
        }
        let decision = MasterRight.decide(
            MasterRight.Input(
                mode: r.mode, dataStatus: dataStatus, me: r.me, myLocation: location, locations: locations,
                lastNoteIndex: last, lastNote: lastNote, checkCount: r.p.xlogCheckCount))
        for node in decision.unreadable { r.logger.warning("Ignoring \(node)'s unreadable \(r.names.xlogLocation)") }
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
            try r.setOwnScore(.cannotPromote)
            return false
        case .outOfDate, .collecting:
            // A claim won earlier does not survive a newer node showing up.
            if locations.contains(where: { LSN(attribute: $0.location).map { $0 > location } ?? false }) {
                try r.setOwnScore(.cannotPromote)
            }
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
