/// A value inside a libpq connection string (`primary_conninfo`): written bare when libpq reads it
/// back unchanged, else single-quoted with `\` and `'` escaped by a backslash (libpq's rules: a bare
/// value ends at white space, and a backslash escapes the next character in either form).
public enum ConninfoValue {
    public static func quote(_ value: String) -> String {
        let special = value.unicodeScalars.contains { $0 == "'" || $0 == "\\" || $0.properties.isWhitespace }
        guard value.isEmpty || special else { return value }
        var out = "'"
        for scalar in value.unicodeScalars {
            if scalar == "'" || scalar == "\\" { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out + "'"
    }
}
