#if canImport(Glibc)
    import Glibc
#endif
import OCF
import Replication
import Testing

@testable import Agent

/// This node's name: the one Pacemaker passes, or the kernel's node name when run by hand.
@Suite struct LocalNodeTests {
    @Test func pacemakersNameWins() throws {
        let ocf = try OCFEnvironment(["OCF_RESKEY_CRM_meta_on_node": "pgn7"])
        #expect(LocalNode.name(ocf) == NodeName("pgn7"))
    }

    @Test func byHandItIsTheKernelsNodeName() throws {
        var buffer = [CChar](repeating: 0, count: 256)
        try #require(gethostname(&buffer, buffer.count) == 0)
        let hostname = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let name = LocalNode.name(try OCFEnvironment([:]))
        #expect(name == NodeName(hostname), "uname -n is \(hostname)")
        #expect(name != nil)
    }
}
