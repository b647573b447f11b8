import OCF
import Testing

@Suite struct ResourceAgentMetaDataTests {
    @Test func specialCharactersAreEscaped() {
        let document = ResourceAgentMetaData(
            name: "a&b", agentVersion: "1", ocfVersion: "1.1", shortDescription: "x < y", longDescription: "\"q\" & 'r'",
            parameters: [.init("p", default: "<none>", short: "s", long: "l")],
            actions: [.init("start", timeout: 20)])
        let xml = document.xml
        #expect(xml.contains("name=\"a&amp;b\""))
        #expect(xml.contains("x &lt; y"))
        #expect(xml.contains("&quot;q&quot; &amp; &apos;r&apos;"))
        #expect(xml.contains("default=\"&lt;none&gt;\""))
        #expect(xml.contains("<action name=\"start\" timeout=\"20s\" />"))
    }
}
