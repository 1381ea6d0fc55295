// swift-tools-version: 6.0
// The AI model registry consensus plugin for IPPAN. See Docs/ and ../shared/DESIGN.md.
import PackageDescription

let package = Package(
    name: "ai-registry",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Sodium", targets: ["Sodium"]),
        .library(name: "LMDB", targets: ["LMDB"]),
        .library(name: "ZMQ", targets: ["ZMQ"]),
        .library(name: "StateTree", targets: ["StateTree"]),
        .library(name: "StateStore", targets: ["StateStore"]),
        .library(name: "RegistryCore", targets: ["RegistryCore"]),
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "RegistryNode", targets: ["RegistryNode"]),
        .library(name: "RegistryGateway", targets: ["RegistryGateway"]),
        .executable(name: "ai-registry", targets: ["ai-registry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", exact: "0.2.0"),
    ],
    targets: [
        // C libraries from Debian (libsodium-dev, libzmq3-dev, liblmdb-dev).
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CZMQ", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),

        // Thin typed wrappers over the C libraries.
        .target(name: "Sodium", dependencies: ["CSodium"]),
        .target(name: "ZMQ", dependencies: ["CZMQ"]),
        .target(name: "LMDB", dependencies: ["CLMDB"]),

        // Pure computation: no I/O.
        .target(name: "StateTree", dependencies: ["Sodium"]),
        .target(name: "RegistryCore", dependencies: ["Sodium"]),

        // Signature verification overlapped with execution (ADR 0025): worker threads prepare a round's
        // transactions ahead of the executing thread. Used by the node and the core benchmark.
        .target(name: "RoundPipeline", dependencies: ["RegistryCore"]),

        // The LMDB-backed store of the state tree and the flat state.
        .target(name: "StateStore", dependencies: ["StateTree", "LMDB", "Sodium"]),

        // State-sync snapshots: export a round's leaves as hashed chunks and a manifest, bulk import (ADR 0019).
        .target(name: "StateSync", dependencies: ["StateStore", "StateTree", "Sodium", "LMDB"]),

        // The wire protocol: generated protobuf code (proto/, scripts/generate-proto.sh) and its mapping
        // to the core types.
        .target(
            name: "Wire",
            dependencies: ["RegistryCore", "Sodium", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),

        // The effects shell: endpoints, commit of a round, queries, events, config, metrics, audit log.
        .target(
            name: "RegistryNode",
            dependencies: [
                "RegistryCore", "Wire", "StateStore", "StateTree", "ZMQ", "LMDB", "Sodium", "StateSync", "RoundPipeline",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The read-only HTTP/JSON gateway over the query logic (ADR 0021, Docs/openapi.json).
        .target(
            name: "RegistryGateway",
            dependencies: [
                "RegistryNode", "Wire", "StateStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The plugin executable and its operator CLI.
        .executableTarget(
            name: "ai-registry",
            dependencies: [
                "RegistryNode", "Wire", "RegistryCore", "StateStore", "StateTree", "ZMQ", "Sodium", "RegistryClient",
                "StateSync",
                "RegistryGateway",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Blocking clients of the plugin's endpoints (consensus, query, events), for the CLI, the tests,
        // the benchmark and the round driver.
        .target(
            name: "RegistryClient",
            dependencies: ["Wire", "ZMQ", "Sodium", "RegistryCore", "StateTree", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),

        // Seeded workloads shared by the test kit, the benchmarks and the round driver.
        .target(name: "RegistryWorkload", dependencies: ["RegistryCore", "Sodium", "RoundPipeline"], path: "Integration/Workload"),

        // Helper process used by the cross-process tests (crash safety, determinism).
        .executableTarget(
            name: "registry-testkit",
            dependencies: ["StateTree", "StateStore", "RegistryCore", "RegistryWorkload", "Sodium", "LMDB"],
            path: "Integration/TestKit"
        ),
        // Release-build benchmarks; see Docs/benchmarks.md.
        .executableTarget(
            name: "registry-bench",
            dependencies: ["StateTree", "StateStore", "RegistryCore", "RegistryWorkload", "Sodium", "LMDB", "RegistryClient", "Wire", "StateSync", "RoundPipeline",
                           .product(name: "Histogram", package: "hdrhistogram-swift")],
            path: "Integration/Bench"
        ),
        // The simulated host node (round driver): replicas, faults, scenarios, benchmark; Integration/README.md.
        .target(
            name: "RoundDriverKit",
            dependencies: ["RegistryClient", "RegistryWorkload", "RegistryCore", "Wire", "ZMQ", "Sodium", "StateTree",
                           .product(name: "Histogram", package: "hdrhistogram-swift")],
            path: "Integration/RoundDriverKit"
        ),
        .executableTarget(
            name: "round-driver",
            dependencies: ["RoundDriverKit", "RegistryClient", "RegistryWorkload", "RegistryCore", "Wire", "ZMQ", "Sodium", "StateTree",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Histogram", package: "hdrhistogram-swift")],
            path: "Integration/RoundDriver"
        ),

        // Shared test helpers: temporary directories, child processes.
        .target(name: "TestSupport", dependencies: ["RegistryWorkload", "RegistryCore"], path: "Tests/TestSupport"),

        .testTarget(name: "SodiumTests", dependencies: ["Sodium"]),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB"]),
        .testTarget(name: "ZMQTests", dependencies: ["ZMQ"]),
        .testTarget(name: "StateTreeTests", dependencies: ["StateTree", "StateStore", "Sodium", "LMDB", "TestSupport", "RegistryWorkload"]),
        .testTarget(name: "StateSyncTests", dependencies: ["StateSync", "StateStore", "StateTree", "LMDB", "Sodium", "TestSupport", "RegistryWorkload"]),
        .testTarget(name: "StateStoreTests", dependencies: ["StateStore", "StateTree", "LMDB", "Sodium", "TestSupport", "RegistryWorkload"]),
        .testTarget(name: "RegistryCoreTests", dependencies: ["RegistryCore", "Sodium", "TestSupport", "RegistryWorkload", "RoundPipeline"]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "RegistryCore", "Sodium", "TestSupport", "RegistryWorkload", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // The real `ai-registry run` over ZeroMQ (behaviour suite, crash, shutdown, fuzz, metrics) and the
        // metrics server in-process.
        .testTarget(
            name: "ProcessTests",
            dependencies: [
                "RegistryClient", "RegistryNode", "RegistryCore", "RegistryWorkload", "Wire", "Sodium", "TestSupport",
                "StateTree", "StateStore", "StateSync", "ZMQ", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "RegistryNodeTests",
            dependencies: [
                "RegistryNode", "Wire", "RegistryCore", "StateStore", "StateTree", "ZMQ", "Sodium", "TestSupport",
                "RegistryWorkload", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "RegistryGateway", "RegistryNode", "RegistryClient", "Wire", "RegistryCore", "StateStore", "StateTree", "Sodium",
                "TestSupport", "RegistryWorkload", "ZMQ", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "DriverTests", dependencies: ["RoundDriverKit", "RegistryCore", "RegistryWorkload", "Wire", "Sodium", "TestSupport"]),
    ]
)
