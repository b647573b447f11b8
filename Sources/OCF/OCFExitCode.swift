/// The closed set of exit codes an OCF resource agent may return (OCF 1.1, Pacemaker `results.h`).
public enum OCFExitCode: Int32, CaseIterable, Sendable {
    /// The action succeeded; for `monitor`, the instance is running (unpromoted, or not promotable).
    ///
    /// `OCF_SUCCESS` (0).
    case success = 0

    /// The action failed for a reason no other code describes; Pacemaker recovers on the same node.
    ///
    /// `OCF_ERR_GENERIC` (1).
    case genericError = 1

    /// The configuration is invalid on this node only (a hard error: the node is banned).
    ///
    /// `OCF_ERR_ARGS` (2).
    case invalidArgument = 2

    /// The action is not implemented by this agent or in this mode.
    ///
    /// `OCF_ERR_UNIMPLEMENTED` (3).
    case unimplemented = 3

    /// The agent lacks the privileges the action needs on this node (a hard error).
    ///
    /// `OCF_ERR_PERM` (4).
    case insufficientPrivilege = 4

    /// Software the agent needs is missing on this node (a hard error).
    ///
    /// `OCF_ERR_INSTALLED` (5).
    case notInstalled = 5

    /// The resource configuration is invalid everywhere (fatal: the resource is stopped cluster-wide).
    ///
    /// `OCF_ERR_CONFIGURED` (6).
    case notConfigured = 6

    /// The instance is cleanly stopped. Only `monitor`/`status` return this; a successful `stop`
    /// returns ``success``.
    ///
    /// `OCF_NOT_RUNNING` (7).
    case notRunning = 7

    /// The instance is running in the promoted role.
    ///
    /// `OCF_RUNNING_PROMOTED`, formerly `OCF_RUNNING_MASTER` (8).
    case runningPromoted = 8

    /// The instance failed while promoted.
    ///
    /// `OCF_FAILED_PROMOTED`, formerly `OCF_FAILED_MASTER` (9).
    case failedPromoted = 9

    /// The instance runs, unpromoted, with reduced service (OCF 1.1).
    ///
    /// `OCF_DEGRADED` (190).
    case degraded = 190

    /// The instance runs, promoted, with reduced service (OCF 1.1).
    ///
    /// `OCF_DEGRADED_PROMOTED` (191).
    case degradedPromoted = 191
}
