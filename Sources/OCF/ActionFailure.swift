/// An action's failure as Pacemaker sees it: an exit code and the one-line reason shown in `crm_mon`.
public struct ActionFailure: Error, Equatable, Sendable {
    public var code: OCFExitCode
    public var reason: String

    public init(_ code: OCFExitCode, _ reason: String) {
        self.code = code
        self.reason = reason
    }
}
