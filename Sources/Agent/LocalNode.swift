#if canImport(Glibc)
    import Glibc
#endif
import OCF
import Replication

/// This node's name as the agent uses it: `OCF_RESKEY_CRM_meta_on_node` (the name Pacemaker runs
/// the action for), or the kernel's node name (`uname -n`) when the agent runs by hand.
enum LocalNode {
    static func name(_ ocf: OCFEnvironment) -> NodeName? {
        if let onNode = ocf.onNode { return onNode }
        var info = utsname()
        guard uname(&info) == 0 else { return nil }
        let name = withUnsafeBytes(of: &info.nodename) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return NodeName(name)
    }
}
