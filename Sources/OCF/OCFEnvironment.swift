public import Replication

/// The typed view of what Pacemaker passes an agent besides its parameters: `OCF_*` and
/// `OCF_RESKEY_CRM_meta_*` variables.
public struct OCFEnvironment: Sendable {
    /// `OCF_RESOURCE_INSTANCE` as given (`pgsql:0` for a clone instance on old Pacemakers).
    public var resourceInstance: String
    /// The resource id without the clone suffix `:N`: the prefix of every node attribute name.
    public var resourceName: String
    /// `CRM_meta_interval` in milliseconds; 0 for one-shot actions and probes.
    public var intervalMilliseconds: Int
    /// `CRM_meta_timeout` in milliseconds, when Pacemaker passed one.
    public var timeoutMilliseconds: Int?
    /// `CRM_meta_on_node`: the node Pacemaker runs the action for.
    public var onNode: NodeName?
    /// The node this instance's own node attributes (promotion score, receiver status) belong to.
    ///
    /// The rule Pacemaker's tools apply when given no node (`pcmk__node_attr_target`): in a bundle
    /// with `container-attribute-target=host`, the host (`CRM_meta_physical_host`); otherwise
    /// `CRM_meta_on_node`. The agent passes it with `-N`, since its children get no `OCF_RESKEY_*`.
    public var attributeTarget: NodeName?
    /// Whether the resource is a promotable clone (`promotable=true` or a positive
    /// `promoted_max`/legacy `master_max`).
    public var isPromotable: Bool
    /// `CRM_meta_clone_max`, for clones.
    public var cloneMax: Int?
    /// `OCF_EXIT_REASON_PREFIX`, defaulting to `ocf-exit-reason:`.
    public var exitReasonPrefix: String
    /// `OCF_CHECK_LEVEL` (or `OCF_RESKEY_OCF_CHECK_LEVEL`), 0 when absent.
    public var checkLevel: Int
    /// `OCF_RESKEY_crm_feature_set`, the Pacemaker feature set, when passed.
    public var crmFeatureSet: String?
    /// `CRM_meta_role`: the role a role-specific recurring monitor checks (`Promoted`, `Unpromoted`).
    public var role: InstanceRole?

    public init(
        resourceInstance: String = "pgsql", intervalMilliseconds: Int = 0, timeoutMilliseconds: Int? = nil,
        onNode: NodeName? = nil, attributeTarget: NodeName? = nil, isPromotable: Bool = false, cloneMax: Int? = nil,
        exitReasonPrefix: String = "ocf-exit-reason:", checkLevel: Int = 0, crmFeatureSet: String? = nil,
        role: InstanceRole? = nil
    ) {
        self.resourceInstance = resourceInstance
        self.resourceName = OCFEnvironment.stripCloneSuffix(resourceInstance)
        self.intervalMilliseconds = intervalMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.onNode = onNode
        self.attributeTarget = attributeTarget ?? onNode
        self.isPromotable = isPromotable
        self.cloneMax = cloneMax
        self.exitReasonPrefix = exitReasonPrefix
        self.checkLevel = checkLevel
        self.crmFeatureSet = crmFeatureSet
        self.role = role
    }

    /// Whether a `monitor` with this environment is a probe (a one-shot monitor, interval 0).
    public var isProbeInterval: Bool { intervalMilliseconds == 0 }

    /// Reads the environment.
    ///
    /// - Throws: ``ActionFailure`` (invalid argument) when a number Pacemaker should have written is
    ///   malformed; the message names the variable.
    public init(_ env: [String: String]) throws(ActionFailure) {
        let meta = "OCF_RESKEY_CRM_meta_"
        let instance = env["OCF_RESOURCE_INSTANCE"].flatMap { $0.isEmpty ? nil : $0 } ?? "pgsql"
        let interval = try OCFEnvironment.integer(env, meta + "interval", minimum: 0) ?? 0
        let timeout = try OCFEnvironment.integer(env, meta + "timeout", minimum: 0)
        let promotedMaxNew = try OCFEnvironment.integer(env, meta + "promoted_max", minimum: 0)
        let promotedMaxLegacy = try OCFEnvironment.integer(env, meta + "master_max", minimum: 0)
        let promotedMax = promotedMaxNew ?? promotedMaxLegacy ?? 0
        let promotableFlag = env[meta + "promotable"].map { OCFBoolean.parse($0) == true } ?? false
        let onNode = try OCFEnvironment.nodeName(env, meta + "on_node")
        var attributeTarget = onNode
        if let target = env[meta + "container_attribute_target"], target.lowercased() == "host",
            let host = try OCFEnvironment.nodeName(env, meta + "physical_host")
        {
            attributeTarget = host
        }
        let checkLevelDirect = try OCFEnvironment.integer(env, "OCF_CHECK_LEVEL", minimum: 0)
        let checkLevelParameter = try OCFEnvironment.integer(env, "OCF_RESKEY_OCF_CHECK_LEVEL", minimum: 0)
        let checkLevel = checkLevelDirect ?? checkLevelParameter ?? 0
        let cloneMax = try OCFEnvironment.integer(env, meta + "clone_max", minimum: 0)
        self.init(
            resourceInstance: instance,
            intervalMilliseconds: interval,
            timeoutMilliseconds: timeout,
            onNode: onNode,
            attributeTarget: attributeTarget,
            isPromotable: promotableFlag || promotedMax > 0,
            cloneMax: cloneMax,
            exitReasonPrefix: env["OCF_EXIT_REASON_PREFIX"].flatMap { $0.isEmpty ? nil : $0 } ?? "ocf-exit-reason:",
            checkLevel: checkLevel,
            crmFeatureSet: env["OCF_RESKEY_crm_feature_set"].flatMap { $0.isEmpty ? nil : $0 },
            role: env[meta + "role"].flatMap { $0.isEmpty ? nil : InstanceRole($0) }
        )
    }

    static func stripCloneSuffix(_ instance: String) -> String {
        guard let colon = instance.firstIndex(of: ":") else { return instance }
        return String(instance[..<colon])
    }

    private static func nodeName(_ env: [String: String], _ key: String) throws(ActionFailure) -> NodeName? {
        guard let text = env[key], !text.isEmpty else { return nil }
        guard let name = NodeName(text) else {
            throw ActionFailure(.invalidArgument, "Malformed node name in \(key): '\(text)'")
        }
        return name
    }

    private static func integer(_ env: [String: String], _ key: String, minimum: Int) throws(ActionFailure) -> Int? {
        guard let text = env[key], !text.isEmpty else { return nil }
        guard let value = Int(text), value >= minimum else {
            throw ActionFailure(.invalidArgument, "\(key) must be a whole number >= \(minimum), not '\(text)'")
        }
        return value
    }
}
