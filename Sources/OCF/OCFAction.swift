/// The actions Pacemaker (or an operator) may ask an agent to perform, as named on its command line.
public enum OCFAction: String, CaseIterable, Sendable {
    case start
    case stop
    case status
    case monitor
    case promote
    case demote
    case notify
    case metaData = "meta-data"
    case validateAll = "validate-all"
    case methods

    /// Whether the action only describes the agent and must never validate anything.
    public var isDescriptive: Bool {
        self == .metaData || self == .methods
    }
}
