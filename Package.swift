// swift-tools-version: 6.0
import PackageDescription

// No package dependencies on purpose: the agent is exec'd by Pacemaker every few seconds, so it is
// built with the static Swift runtime and without Foundation (see README, "Design notes").
let package = Package(
    name: "pgsql-swift",
    products: [
        .executable(name: "pgsql-swift", targets: ["pgsql-swift"])
    ],
    targets: [
        // C: libpq (system library) and a tiny shim for fork/exec-as-user and syslog.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .yum(["libpq-devel"])]
        ),
        .target(name: "CShim"),

        // The pure core: replication vocabulary and decisions; no I/O, imports only the stdlib.
        .target(name: "Replication"),

        // The OCF protocol: exit codes, actions, environment, meta-data, logging.
        .target(name: "OCF", dependencies: ["CShim", "Replication"]),

        // Edges.
        .target(name: "Exec", dependencies: ["CShim"]),
        .target(name: "Postgres", dependencies: ["CLibPQ", "Exec", "Replication"]),

        // The agent: parameters, validation, actions, and the one error-to-exit-code mapping.
        .target(name: "Agent", dependencies: ["OCF", "Replication", "Exec", "Postgres"]),
        .executableTarget(name: "pgsql-swift", dependencies: ["Agent", "OCF"]),

        .testTarget(name: "OCFTests", dependencies: ["OCF"]),
        .testTarget(name: "ReplicationTests", dependencies: ["Replication"]),
        .testTarget(name: "AgentTests", dependencies: ["Agent", "OCF", "Postgres", "Exec"], exclude: ["Fixtures"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Exec", "Postgres", "OCF", "Replication"]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system && target.name != "CShim" {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
    ]
}
