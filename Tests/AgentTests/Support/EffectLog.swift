/// The effects one action had, in the order they happened, as the fakes record them.
final class EffectLog {
    private(set) var entries: [String] = []

    func append(_ entry: String) { entries.append(entry) }

    /// The index of the first entry that starts with `prefix`.
    func index(of prefix: String) -> Int? { entries.firstIndex { $0.hasPrefix(prefix) } }

    /// The entries that start with `prefix`, in order.
    func matching(_ prefix: String) -> [String] { entries.filter { $0.hasPrefix(prefix) } }
}
