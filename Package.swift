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

        // The LMDB-backed store of the state tree and the flat state.
        .target(name: "StateStore", dependencies: ["StateTree", "LMDB", "Sodium"]),

        // Seeded workloads shared by the test kit, the benchmarks and the round driver.
        .target(name: "RegistryWorkload", dependencies: ["RegistryCore", "Sodium"], path: "Integration/Workload"),

        // Helper process used by the cross-process tests (crash safety, determinism).
        .executableTarget(
            name: "registry-testkit",
            dependencies: ["StateTree", "StateStore", "RegistryCore", "RegistryWorkload", "Sodium", "LMDB"],
            path: "Integration/TestKit"
        ),
        // Release-build benchmarks; see Docs/benchmarks.md.
        .executableTarget(
            name: "registry-bench",
            dependencies: ["StateTree", "StateStore", "RegistryCore", "RegistryWorkload", "Sodium", "LMDB"],
            path: "Integration/Bench"
        ),

        // Shared test helpers: temporary directories, child processes.
        .target(name: "TestSupport", dependencies: ["RegistryWorkload"], path: "Tests/TestSupport"),

        .testTarget(name: "SodiumTests", dependencies: ["Sodium"]),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB"]),
        .testTarget(name: "ZMQTests", dependencies: ["ZMQ"]),
        .testTarget(name: "StateTreeTests", dependencies: ["StateTree", "StateStore", "Sodium", "LMDB", "TestSupport", "RegistryWorkload"]),
        .testTarget(name: "RegistryCoreTests", dependencies: ["RegistryCore", "Sodium", "TestSupport", "RegistryWorkload"]),
    ]
)
