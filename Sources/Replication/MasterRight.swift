/// A standby's claim to be promoted when no primary exists (the shell agent's `have_master_right`).
///
/// Each standby monitor records a snapshot of every node's `<rsc>-xlog-loc` in the numbered
/// `xlog_note.N` files in tmpdir (the shell agent's files, so both agents agree in a mixed cluster).
/// Only after `xlog_check_count` identical consecutive snapshots does the node with the newest
/// location claim the right (score 1000); a node that is not the newest marks its data DISCONNECT.
public enum MasterRight {
    public struct Input: Sendable {
        public var mode: ReplicationMode
        /// This node's `<rsc>-data-status`; `nil` when it was never set.
        public var dataStatus: DataStatus?
        public var me: NodeName
        /// This node's current location, attribute form.
        public var myLocation: LSN
        /// The `<rsc>-xlog-loc` of the nodes of `node_list` that have one, as read.
        ///
        /// In node_list order; nodes without one are skipped. The snapshot holds the strings, the
        /// comparison their LSN values (an unparsable one is never the newest). This node's entry is
        /// `myLocation`.
        public var locations: [(node: NodeName, location: String)]
        /// The highest `k` in 1...checkCount such that notes 1...k all exist (0 if none).
        public var lastNoteIndex: Int
        /// The content of note `lastNoteIndex` (note 0 included), if it exists.
        public var lastNote: String?
        public var checkCount: Int

        public init(
            mode: ReplicationMode, dataStatus: DataStatus?, me: NodeName, myLocation: LSN,
            locations: [(node: NodeName, location: String)], lastNoteIndex: Int, lastNote: String?, checkCount: Int
        ) {
            self.mode = mode
            self.dataStatus = dataStatus
            self.me = me
            self.myLocation = myLocation
            self.locations = locations
            self.lastNoteIndex = lastNoteIndex
            self.lastNote = lastNote
            self.checkCount = checkCount
        }
    }

    public enum Verdict: Hashable, Sendable {
        /// The data status rules this node out (not an up-to-date standby for this mode).
        case outOfDate(DataStatus)
        /// Snapshots differ from the last one or are not yet `checkCount` long: wait.
        case collecting
        /// Stable, and another node is newer: this node marks itself DISCONNECT.
        case notNewest(newest: String)
        /// Stable and newest: set score 1000.
        case haveRight
    }

    /// What to do with the note files.
    public enum NoteAction: Hashable, Sendable {
        case none
        /// Write note `index` with this content.
        case write(index: Int, content: String)
        /// Remove every note, then write note 0 with this content.
        case reset(content: String)
    }

    public struct Decision: Hashable, Sendable {
        public var verdict: Verdict
        public var notes: NoteAction
        /// Nodes whose location is not an LSN: they are in the snapshot but never the newest.
        public var unreadable: [NodeName] = []
    }

    public static func acceptable(_ status: DataStatus?, mode: ReplicationMode) -> Bool {
        switch status {
        case nil, .latest?, .streamingSync?: true
        case .streamingAsync?: mode == .async
        default: false
        }
    }

    public static func decide(_ input: Input) -> Decision {
        guard acceptable(input.dataStatus, mode: input.mode) else {
            return Decision(verdict: .outOfDate(input.dataStatus ?? .disconnect), notes: .none)
        }
        let snapshot = input.locations.map { "\($0.node) \($0.location)" }.joined(separator: "\n")
        let next = input.lastNoteIndex + 1
        guard (input.lastNote ?? "") == snapshot else {
            return Decision(verdict: .collecting, notes: .reset(content: snapshot))
        }
        guard next >= input.checkCount else {
            return Decision(verdict: .collecting, notes: .write(index: next, content: snapshot))
        }
        // Compared as LSNs: another agent's or version's value may differ in case or length, and
        // string order is then not WAL order. An unparsable value is never the newest.
        var newest: (location: String, lsn: LSN)?
        var unreadable: [NodeName] = []
        for entry in input.locations where entry.node != input.me {
            guard let lsn = LSN(attribute: entry.location) else {
                unreadable.append(entry.node)
                continue
            }
            if newest.map({ lsn > $0.lsn }) ?? true { newest = (entry.location, lsn) }
        }
        guard let newest, newest.lsn > input.myLocation else {
            return Decision(
                verdict: .haveRight, notes: .write(index: next, content: snapshot), unreadable: unreadable)
        }
        return Decision(
            verdict: .notNewest(newest: newest.location), notes: .reset(content: snapshot), unreadable: unreadable)
    }

    /// Whether this node's master baseline is newer than the promoted node's (compared as LSNs).
    ///
    /// Pre-promote with ≥ 3 nodes in sync mode: a node whose master baseline is newer than the node
    /// being promoted must not follow it (it bans itself). A missing or unparsable baseline is not
    /// newer (the node follows, as with no baseline).
    public static func newerThanPromoted(myBaseline: String?, promotedBaseline: String?) -> Bool {
        guard let mine = myBaseline.flatMap(LSN.init(attribute:)),
            let theirs = promotedBaseline.flatMap(LSN.init(attribute:))
        else { return false }
        return mine > theirs
    }
}
