/// A PostgreSQL WAL position.
///
/// PostgreSQL prints `16/B374D848`; the node attributes (`<rsc>-xlog-loc`, `<rsc>-master-baseline`)
/// hold 16 upper-case hex digits, each half zero-padded to 8. Locations are compared as `LSN`
/// values, never as strings: a value written by another agent or version may differ in case or
/// length.
public struct LSN: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// Parses PostgreSQL's `X/Y` form.
    public init?(postgres text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...8).contains(parts[0].count), (1...8).contains(parts[1].count),
            let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16)
        else { return nil }
        value = high << 32 | low
    }

    /// Parses an attribute value: the 16-hex-digit form this agent writes, or any 1 to 16 hex digits
    /// in either case, or PostgreSQL's `X/Y` form.
    public init?(attribute text: String) {
        if text.contains("/") {
            self.init(postgres: text)
            return
        }
        guard (1...16).contains(text.utf8.count),
            text.utf8.allSatisfy({
                (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0)
            }),
            let v = UInt64(text, radix: 16)
        else { return nil }
        self.init(v)
    }

    public var postgres: String {
        String(value >> 32, radix: 16, uppercase: true) + "/" + String(value & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }

    public var attribute: String {
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public var description: String { postgres }

    public static func < (lhs: LSN, rhs: LSN) -> Bool { lhs.value < rhs.value }
}
