// swift-tools-version:5.9
//
// Twostep for Apple platforms: the Rust core's static library, the Swift bindings UniFFI
// generates for it (TwostepCore), and a thin Swift API over them (Twostep).
//
//   TwostepCoreFFI  system-library target: the one merged module map (committed) over the
//                   generated C header (Sources/TwostepCoreFFI/TwostepCoreFFI.h)
//   TwostepFFI      binary target, Apple platforms: build/TwostepFFI.xcframework, static
//                   libtwostep_ffi.a slices only (no headers: the module comes from above)
//   TwostepCore     the generated Swift (Sources/TwostepCore/TwostepCore.swift)
//   Twostep         the Swift API: CodesTicker, AsyncVault, KeychainKeyStore; re-exports TwostepCore
//
// Generated files are not committed: `scripts/build-ios` makes them all (on a Mac with Xcode),
// `scripts/build-ios --bindings-only` makes the header and Swift file (any OS). See README.md.

import Foundation
import PackageDescription

/// Where libtwostep_ffi.a comes from:
/// - Apple platforms, by default: build/TwostepFFI.xcframework (iOS device, iOS simulator and
///   macOS slices), made by scripts/build-ios.
/// - Linux, or whenever TWOSTEP_FFI_LIB_DIR is set: `-ltwostep_ffi` from that directory, a
///   host build of the library (scripts/swift-test sets it; keep only the .a there, or the
///   linker prefers the shared library).
let hostLibraryDir = ProcessInfo.processInfo.environment["TWOSTEP_FFI_LIB_DIR"]
#if os(Linux)
let useHostLibrary = true
#else
let useHostLibrary = hostLibraryDir != nil
#endif

let apple: [Platform] = [.iOS, .macOS]

var coreDependencies: [Target.Dependency] = ["TwostepCoreFFI"]
var coreLinkerSettings: [LinkerSetting] = [
    // What the Rust library links on Apple platforms (`rustc --print native-static-libs`):
    // the platform certificate verifier uses Security and CoreFoundation; libc uses iconv.
    .linkedFramework("Security", .when(platforms: apple)),
    .linkedFramework("CoreFoundation", .when(platforms: apple)),
    .linkedLibrary("iconv", .when(platforms: apple)),
]
var binaryTargets: [Target] = []

if useHostLibrary {
    coreLinkerSettings.append(.linkedLibrary("twostep_ffi"))
    if let dir = hostLibraryDir {
        coreLinkerSettings.append(.unsafeFlags(["-L", dir]))
    }
    // What Rust's std and the bundled SQLite link on Linux (`rustc --print native-static-libs`).
    for library in ["gcc_s", "util", "rt", "pthread", "m", "dl"] {
        coreLinkerSettings.append(.linkedLibrary(library, .when(platforms: [.linux])))
    }
} else {
    coreDependencies.append("TwostepFFI")
    binaryTargets.append(.binaryTarget(name: "TwostepFFI", path: "build/TwostepFFI.xcframework"))
}

let package = Package(
    name: "Twostep",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Twostep", targets: ["Twostep"]),
    ],
    targets: [
        .systemLibrary(name: "TwostepCoreFFI", path: "Sources/TwostepCoreFFI"),
        .target(
            name: "TwostepCore",
            dependencies: coreDependencies,
            path: "Sources/TwostepCore",
            linkerSettings: coreLinkerSettings
        ),
        .target(name: "Twostep", dependencies: ["TwostepCore"], path: "Sources/Twostep"),
        .testTarget(name: "TwostepTests", dependencies: ["Twostep"], path: "Tests/TwostepTests"),
    ] + binaryTargets
)
