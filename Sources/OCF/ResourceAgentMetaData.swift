/// An agent's self-description, rendered as the XML `meta-data` prints.
///
/// The rendering satisfies both `ra-api-1.dtd` (what `ocf-tester` checks with `xmllint --valid`) and
/// the OCF 1.1 `ra-api.rng`, so it uses only what both allow: no `private`, `reloadable` or
/// `reload-agent`.
public struct ResourceAgentMetaData: Equatable, Sendable {
    public struct Parameter: Equatable, Sendable {
        public enum ContentType: String, Sendable { case string, integer, boolean }

        public var name: String
        public var shortDescription: String
        public var longDescription: String
        public var type: ContentType
        public var defaultValue: String
        public var required: Bool

        public init(
            _ name: String, type: ContentType = .string, default defaultValue: String, required: Bool = false,
            short shortDescription: String, long longDescription: String
        ) {
            self.name = name
            self.shortDescription = shortDescription
            self.longDescription = longDescription
            self.type = type
            self.defaultValue = defaultValue
            self.required = required
        }
    }

    public struct Action: Equatable, Sendable {
        public var name: String
        public var timeoutSeconds: Int
        public var intervalSeconds: Int?
        public var depth: Int?
        public var role: String?

        public init(_ name: String, timeout: Int, interval: Int? = nil, depth: Int? = nil, role: String? = nil) {
            self.name = name
            self.timeoutSeconds = timeout
            self.intervalSeconds = interval
            self.depth = depth
            self.role = role
        }
    }

    public var name: String
    public var agentVersion: String
    public var ocfVersion: String
    public var shortDescription: String
    public var longDescription: String
    public var parameters: [Parameter]
    public var actions: [Action]

    public init(
        name: String, agentVersion: String, ocfVersion: String, shortDescription: String, longDescription: String,
        parameters: [Parameter], actions: [Action]
    ) {
        self.name = name
        self.agentVersion = agentVersion
        self.ocfVersion = ocfVersion
        self.shortDescription = shortDescription
        self.longDescription = longDescription
        self.parameters = parameters
        self.actions = actions
    }

    /// The `meta-data` document.
    public var xml: String {
        var out = """
            <?xml version="1.0"?>
            <!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
            <resource-agent name="\(escape(name))" version="\(escape(agentVersion))">
            <version>\(escape(ocfVersion))</version>

            <longdesc lang="en">
            \(escape(longDescription))
            </longdesc>
            <shortdesc lang="en">\(escape(shortDescription))</shortdesc>

            <parameters>

            """
        for p in parameters {
            out += """
                <parameter name="\(escape(p.name))" unique="0" required="\(p.required ? 1 : 0)">
                <longdesc lang="en">
                \(escape(p.longDescription))
                </longdesc>
                <shortdesc lang="en">\(escape(p.shortDescription))</shortdesc>
                <content type="\(p.type.rawValue)" default="\(escape(p.defaultValue))" />
                </parameter>


                """
        }
        out += "</parameters>\n\n<actions>\n"
        for a in actions {
            var attributes = "name=\"\(escape(a.name))\" timeout=\"\(a.timeoutSeconds)s\""
            if let interval = a.intervalSeconds { attributes += " interval=\"\(interval)s\"" }
            if let depth = a.depth { attributes += " depth=\"\(depth)\"" }
            if let role = a.role { attributes += " role=\"\(escape(role))\"" }
            out += "<action \(attributes) />\n"
        }
        out += "</actions>\n</resource-agent>\n"
        return out
    }

    /// Escapes the five XML special characters.
    public func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
