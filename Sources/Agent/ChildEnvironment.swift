/// The one rule for what the agent's environment passes on to a program it runs (pg_ctl and the
/// Pacemaker tools alike).
///
/// Everything but `OCF_RESKEY_*` (the parameters, `monitor_password` among them, and Pacemaker's
/// `CRM_meta_*` values), `PGPASSWORD` and `PGUSER`. What the children still need of the removed
/// values the agent passes explicitly: the attribute target node as `-N` (see
/// `OCFEnvironment.attributeTarget`), the resource as `--promotion=<rsc>` / `-r`. `OCF_RESOURCE_INSTANCE`,
/// `OCF_ROOT`, `HA_*`, `PCMK_*`, `CIB_*` and `PATH` stay.
enum ChildEnvironment {
    static func inherited(from environment: [String: String]) -> [String: String] {
        environment.filter { !$0.key.hasPrefix("OCF_RESKEY_") && $0.key != "PGPASSWORD" && $0.key != "PGUSER" }
    }
}
