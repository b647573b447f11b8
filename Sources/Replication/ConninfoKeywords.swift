/// The keywords of a libpq connection string (`key = value …`, values bare or single-quoted with
/// backslash escapes), as libpq's `conninfo_parse` splits it; `nil` when it is malformed.
public enum ConninfoKeywords {
    public static func keywords(of conninfo: String) -> [String]? {
        var keys: [String] = []
        var chars = Array(conninfo.unicodeScalars)[...]
        func skipSpaces() { while let c = chars.first, c.properties.isWhitespace { chars = chars.dropFirst() } }
        while true {
            skipSpaces()
            guard !chars.isEmpty else { return keys }
            var key = ""
            while let c = chars.first, c != "=", !c.properties.isWhitespace {
                key.unicodeScalars.append(c)
                chars = chars.dropFirst()
            }
            skipSpaces()
            guard chars.first == "=", !key.isEmpty else { return nil }
            chars = chars.dropFirst()
            skipSpaces()
            if chars.first == "'" {
                chars = chars.dropFirst()
                var closed = false
                while let c = chars.first {
                    chars = chars.dropFirst()
                    if c == "\\" {
                        chars = chars.dropFirst()
                    } else if c == "'" {
                        closed = true
                        break
                    }
                }
                guard closed else { return nil }
            } else {
                while let c = chars.first, !c.properties.isWhitespace {
                    chars = chars.dropFirst()
                    if c == "\\" { chars = chars.dropFirst() }
                }
            }
            keys.append(key)
        }
    }
}
