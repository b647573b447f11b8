/// The boolean spellings `ocf_is_true` accepts, and their false counterparts.
public enum OCFBoolean {
    /// - Returns: `true` for yes/true/1/on, `false` for no/false/0/off (any case), `nil` otherwise.
    public static func parse(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "true", "1", "on", "y": true
        case "no", "false", "0", "off", "n": false
        default: nil
        }
    }
}
