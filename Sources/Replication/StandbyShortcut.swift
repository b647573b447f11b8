/// Whether a standby's monitor may leave the cluster out (no `crm_mon`): only while a primary is
/// known to be there, that is while its WAL receiver streams AND heard from the primary within the
/// last second.
///
/// A receiver says `streaming` for up to `wal_receiver_timeout` after a silent primary loss (power
/// off, a frozen host: no TCP reset); a standby that skipped the cluster query then would never
/// publish `<rsc>-xlog-loc`, and a peer that is behind could win the master right. A primary that
/// has gone silent for a second is not known to be there: the standby then takes part in the
/// election exactly as the shell agent's does (which queries the cluster on every monitor). An idle
/// primary sends nothing for long stretches, so idle standbys query the cluster too.
public enum StandbyShortcut {
    /// How recent the primary's last message must be, in seconds.
    public static let freshness = 1.0

    public static func applies(receiver: WALReceiverStatus.Receiver, lastMessageAge: Double?) -> Bool {
        guard receiver == .state("streaming"), let age = lastMessageAge else { return false }
        return age >= 0 && age <= freshness
    }
}
