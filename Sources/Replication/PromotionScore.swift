/// The promotion score (`master-<rsc>`) the agent sets: the shell agent's three values.
public enum PromotionScore: String, Sendable, CaseIterable {
    case cannotPromote = "-INFINITY"
    case canPromote = "100"
    case promoteMe = "1000"
}
