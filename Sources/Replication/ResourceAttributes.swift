/// The node attribute names of one resource (`pgsql` ⇒ `pgsql-status`, `master-pgsql`, ...).
public struct ResourceAttributes: Hashable, Sendable {
    public let resource: String

    public init(resource: String) { self.resource = resource }

    public var status: String { resource + "-status" }
    public var dataStatus: String { resource + "-data-status" }
    public var xlogLocation: String { resource + "-xlog-loc" }
    public var masterBaseline: String { resource + "-master-baseline" }
    public var receiverStatus: String { resource + "-receiver-status" }
    public var promotionScore: String { "master-" + resource }
}
