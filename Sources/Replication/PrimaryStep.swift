/// One step of the primary's control of its standbys, carried out in order by the agent; a step
/// that fails ends the action there (the steps after it are not taken).
public enum PrimaryStep: Hashable, Sendable {
    /// Attribute writes, in order, each confirmed by the tool's exit status.
    case write([AttributeWrite])
    /// Read the cluster anew: it must have quorum and show these writes before the next step.
    /// Without quorum the primary stays synchronous (the next `synchronousStandbyNames` step is not
    /// taken, commits keep waiting); writes that do not show up fail the action.
    case confirm([AttributeWrite])
    /// Write `rep_mode.conf` and reload the server.
    case synchronousStandbyNames(SynchronousStandbyNames)
    /// The change would stop commits waiting for a standby, but this partition has no quorum: the
    /// names stay as they are and commits keep waiting (the majority may promote that standby).
    case keepSynchronousWithoutQuorum(SynchronousStandbyNames)
}
