/// A quoted string of PostgreSQL's configuration files (`postgresql.conf`, the files it includes,
/// `recovery.conf` before 12), written and read the way the server's lexer reads it
/// (`guc-file.l`: a quoted string may not span lines; inside it `''` is a quote, and a backslash
/// escapes: `\b \f \n \r \t`, up to three octal digits `\ooo`, and `\x` is `x` for any other `x`).
///
/// So the server gets exactly the text the operator gave: a backslash is written `\\`, a quote `''`,
/// a line break `\n` (`\r` for a carriage return).
public enum ConfigurationLiteral {
    /// `value` as a quoted literal, quotes included.
    public static func quote(_ value: String) -> String {
        var out = "'"
        for scalar in value.unicodeScalars {
            switch scalar {
            case "'": out += "''"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    /// Reads the quoted literal at the start of `text` as the server does.
    ///
    /// - Returns: the value and what follows the closing quote; `nil` when `text` does not start with
    ///   a quote or the literal is not closed on its line (the server rejects such a line).
    public static func unquote(_ text: Substring) -> (value: String, rest: Substring)? {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "'") else { return nil }
        var value: [UInt8] = []
        var index = 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                return nil
            case UInt8(ascii: "'"):
                if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "'") {
                    value.append(byte)
                    index += 2
                    continue
                }
                let rest = text.utf8.index(text.utf8.startIndex, offsetBy: index + 1)
                return (String(decoding: value, as: UTF8.self), text[rest...])
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: "\n") else { return nil }
                index += 1
                let escaped = bytes[index]
                if let control = controlEscapes[escaped] {
                    value.append(control)
                    index += 1
                } else if (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(escaped) {
                    var octal = 0
                    var digits = 0
                    while digits < 3, index < bytes.count,
                        (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[index])
                    {
                        octal = octal * 8 + Int(bytes[index] - UInt8(ascii: "0"))
                        index += 1
                        digits += 1
                    }
                    value.append(UInt8(truncatingIfNeeded: octal))
                } else {
                    value.append(escaped)
                    index += 1
                }
            default:
                value.append(byte)
                index += 1
            }
        }
        return nil
    }

    private static let controlEscapes: [UInt8: UInt8] = [
        UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D,
        UInt8(ascii: "t"): 0x09,
    ]
}
