import Exec
import OCF
import Postgres
import Replication

/// `notify` in rep_mode sync/async: pre-promote baseline check, post-promote and post-demote
/// clean-up, and the primary's control of its standbys after one starts or stops.
struct ReplicationNotifyAction {
    let r: ReplicationContext

    func run() throws(ActionFailure) -> OCFExitCode {
        guard let event = try NotifyEvent.parse(r.context.environment) else {
            throw ActionFailure(.invalidArgument, "notify called without OCF_RESKEY_CRM_meta_notify_type/operation")
        }
        r.logger.debug("notify: \(event.kind.rawValue) for \(event.operation.rawValue)")
        switch (event.kind, event.operation) {
        case (.pre, .promote):
            return try prePromote(promoting: event.nodes(.promote).first)
        case (.post, .promote):
            try r.setOwn(r.names.xlogLocation, nil)
            if event.nodes(.promote).first != r.me { try r.setOwn(r.names.masterBaseline, nil) }
        case (.post, .demote):
            let demoted = event.nodes(.demote).first
            if demoted != r.me && !event.nodes(.promoted).contains(r.me) {
                try r.setOwn(r.names.masterBaseline, try r.myLocation().attribute)
                try r.setStatus(.aloneStandby)
            }
        case (.post, .start), (.post, .stop):
            if event.nodes(.promoted).first == r.me, r.server.isRunning {
                try PrimaryControl(r: r).run()
            }
        default:
            break
        }
        return .success
    }

    /// With ≥ 3 nodes in sync mode, a standby whose data is newer than the node being promoted bans
    /// itself (it must not follow an older primary).
    private func prePromote(promoting: NodeName?) throws(ActionFailure) -> OCFExitCode {
        guard let promoting, r.p.nodeList.count >= 3, r.mode == .sync, promoting != r.me else { return .success }
        let view = try r.cluster()
        let theirs = view.attribute(promoting, r.names.masterBaseline)
        let mine = view.attribute(r.me, r.names.masterBaseline)
        for (node, value) in [(promoting, theirs), (r.me, mine)] {
            if let value, LSN(attribute: value) == nil {
                r.logger.warning("Unreadable \(r.names.masterBaseline) '\(value)' on \(node): not counted as newer")
            }
        }
        guard MasterRight.newerThanPromoted(myBaseline: mine, promotedBaseline: theirs) else { return .success }
        try r.tools.banHere(me: r.me)
        throw ActionFailure(
            .genericError, "My data is newer than new master's one. New master's location : \(theirs ?? "")")
    }
}
