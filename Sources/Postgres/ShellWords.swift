import Exec

/// Splits an option string such as `ctl_opt` into words the way a POSIX shell would without
/// expanding anything: white space separates words, single quotes keep text literally, double
/// quotes keep text but honour `\"` and `\\`, and a backslash outside quotes escapes one character.
public enum ShellWords {
    public enum Failure: Error, Equatable, Sendable {
        case unterminatedQuote
        case trailingBackslash
    }

    public static func split(_ text: String) throws(Failure) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            switch c {
            case " ", "\t", "\n":
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            case "'":
                inWord = true
                var closed = false
                while let d = iterator.next() {
                    if d == "'" {
                        closed = true
                        break
                    }
                    current.append(d)
                }
                if !closed { throw .unterminatedQuote }
            case "\"":
                inWord = true
                var closed = false
                while let d = iterator.next() {
                    if d == "\"" {
                        closed = true
                        break
                    }
                    if d == "\\" {
                        guard let e = iterator.next() else { throw .unterminatedQuote }
                        if e != "\"" && e != "\\" && e != "$" && e != "`" { current.append("\\") }
                        current.append(e)
                        continue
                    }
                    current.append(d)
                }
                if !closed { throw .unterminatedQuote }
            case "\\":
                guard let d = iterator.next() else { throw .trailingBackslash }
                inWord = true
                if d != "\n" { current.append(d) }
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Quotes a word for a POSIX shell (pg_ctl hands `-o` options to `/bin/sh`).
    public static func quote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy {
            ($0.value < 0x80) && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "-_./=:,@%+".unicodeScalars.contains($0))
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
