/// A PostgreSQL WAL position.
///
/// PostgreSQL prints `16/B374D848`; the node attributes (`<rsc>-xlog-loc`, `<rsc>-master-baseline`)
/// hold 16 upper-case hex digits, each half zero-padded to 8, so that string order is LSN order.
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

    /// Parses the 16-hex-digit attribute form.
    public init?(attribute text: String) {
        guard text.count == 16, text.allSatisfy(\.isHexDigit), let v = UInt64(text, radix: 16) else { return nil }
        value = v
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
