/// A small XML reader for what Pacemaker's tools print: it reports start and end tags with their
/// attributes (entities decoded) and skips text, comments, processing instructions and DOCTYPE.
/// No Foundation (the agent is built without it); input is trusted to be well-formed tool output,
/// and malformed input ends the scan with an error instead of a crash.
public struct XMLElementScanner {
    public enum Event: Equatable, Sendable {
        case start(name: String, attributes: [String: String], selfClosing: Bool)
        case end(name: String)
    }

    public struct Malformed: Error, Equatable, Sendable {
        public let offset: Int
    }

    private let bytes: [UInt8]
    private var index = 0

    public init(_ text: String) { bytes = Array(text.utf8) }

    /// The next tag, or `nil` at the end of the input.
    public mutating func next() throws(Malformed) -> Event? {
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<?") {
                try skip(past: "?>")
            } else if starts(with: "<![CDATA[") {
                try skip(past: "]]>")
            } else if starts(with: "<!") {
                try skip(past: ">")
            } else if starts(with: "</") {
                index += 2
                let name = readName()
                skipSpaces()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">"), !name.isEmpty else {
                    throw Malformed(offset: index)
                }
                index += 1
                return .end(name: name)
            } else {
                index += 1
                return try readStartTag()
            }
        }
        return nil
    }

    private func starts(with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { buffer in
            for k in 0..<count where bytes[index + k] != buffer[k] { return false }
            return true
        }
    }

    private mutating func skip(past terminator: StaticString) throws(Malformed) {
        while index < bytes.count {
            if starts(with: terminator) {
                index += terminator.utf8CodeUnitCount
                return
            }
            index += 1
        }
        throw Malformed(offset: index)
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        !(b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
            || b == UInt8(ascii: "/") || b == UInt8(ascii: ">") || b == UInt8(ascii: "=")
            || b == UInt8(ascii: "<") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'"))
    }

    private mutating func readName() -> String {
        let start = index
        while index < bytes.count, Self.isNameByte(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func skipSpaces() {
        while index < bytes.count,
            bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")
                || bytes[index] == UInt8(ascii: "\n") || bytes[index] == UInt8(ascii: "\r")
        {
            index += 1
        }
    }

    private mutating func readStartTag() throws(Malformed) -> Event {
        let name = readName()
        guard !name.isEmpty else { throw Malformed(offset: index) }
        var attributes: [String: String] = [:]
        while true {
            skipSpaces()
            guard index < bytes.count else { throw Malformed(offset: index) }
            if bytes[index] == UInt8(ascii: ">") {
                index += 1
                return .start(name: name, attributes: attributes, selfClosing: false)
            }
            if starts(with: "/>") {
                index += 2
                return .start(name: name, attributes: attributes, selfClosing: true)
            }
            let key = readName()
            skipSpaces()
            guard !key.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                throw Malformed(offset: index)
            }
            index += 1
            skipSpaces()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw Malformed(offset: index)
            }
            let quote = bytes[index]
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote { index += 1 }
            guard index < bytes.count else { throw Malformed(offset: index) }
            attributes[key] = Self.decodeEntities(bytes[start..<index])
            index += 1
        }
    }

    static func decodeEntities(_ raw: ArraySlice<UInt8>) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        var i = raw.startIndex
        while i < raw.endIndex {
            if raw[i] == UInt8(ascii: "&"), let semi = raw[i...].firstIndex(of: UInt8(ascii: ";")), semi - i <= 10 {
                let entity = String(decoding: raw[(i + 1)..<semi], as: UTF8.self)
                var scalar: Unicode.Scalar?
                switch entity {
                case "amp": scalar = "&"
                case "lt": scalar = "<"
                case "gt": scalar = ">"
                case "quot": scalar = "\""
                case "apos": scalar = "'"
                default:
                    if entity.hasPrefix("#x") { scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
                    else if entity.hasPrefix("#") { scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init) }
                }
                if let scalar {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i = semi + 1
                    continue
                }
            }
            out.append(raw[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
