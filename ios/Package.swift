// swift-tools-version:6.0
//
// Twostep for Apple platforms: the Rust core's static library, the Swift bindings UniFFI
// generates for it (TwostepCore), and a thin Swift API over them (Twostep). Swift 6 language
// mode: every target passes complete strict-concurrency checking.
//
//   TwostepCoreFFI  system-library target: one module map over every generated C header
//                   (Sources/TwostepCoreFFI, written by scripts/build-ios)
//   TwostepFFI      binary target, Apple platforms: the XCFramework of static libtwostep_ffi.a
//                   slices (no headers: the module comes from TwostepCoreFFI)
//   TwostepCore     the generated Swift (Sources/TwostepCore, one file per binding crate)
//   Twostep         the Swift API: CodesTicker, AsyncVault, KeychainKeyStore; re-exports TwostepCore
//   TwostepModels   the app's view models, one per core flow, and AppModel (no UI framework:
//                   built and tested on Linux too); the SwiftUI screens over them are in App/
//
// Generated files are not committed on the main branch: `scripts/build-ios` makes them all (on
// a Mac with Xcode), `scripts/build-ios --bindings-only` makes the headers, module map and
// Swift (any OS). A release tag commits them with the release's version and checksum below.

import Foundation
import PackageDescription

// The released XCFramework. `scripts/build-ios --release VERSION URL` zips it as
// TwostepFFI-VERSION.xcframework.zip, prints its checksum (`swift package compute-checksum`)
// and writes these three lines; the zip is then uploaded to URL.
let releaseVersion = ""
let releaseURL = ""
let releaseChecksum = ""

/// Where libtwostep_ffi comes from, chosen by the environment variable TWOSTEP_FFI:
/// - `release`: the XCFramework above, by URL and checksum (the default once a release
///   checksum is set: what an app depending on a release tag gets).
/// - `local`: build/TwostepFFI.xcframework, made by scripts/build-ios (the default while no
///   release is set). Open Xcode with it, e.g. `TWOSTEP_FFI=local xed ios`.
/// - `host`: `-ltwostep_ffi` from the directory in TWOSTEP_FFI_LIB_DIR, a host build of the
///   library (always on Linux; scripts/swift-test sets it; keep only the .a there, or the
///   linker prefers the shared library).
enum Library { case release, local, host }

let environment = ProcessInfo.processInfo.environment
let hostLibraryDir = environment["TWOSTEP_FFI_LIB_DIR"]
let library: Library = {
    #if os(Linux)
    return .host
    #else
    switch environment["TWOSTEP_FFI"] {
    case "release": return .release
    case "local": return .local
    case "host": return .host
    default: return hostLibraryDir != nil ? .host : releaseChecksum.isEmpty ? .local : .release
    }
    #endif
}()

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

switch library {
case .host:
    coreLinkerSettings.append(.linkedLibrary("twostep_ffi"))
    if let dir = hostLibraryDir {
        coreLinkerSettings.append(.unsafeFlags(["-L", dir]))
    }
    // What Rust's std and the bundled SQLite link on Linux (`rustc --print native-static-libs`).
    for library in ["gcc_s", "util", "rt", "pthread", "m", "dl"] {
        coreLinkerSettings.append(.linkedLibrary(library, .when(platforms: [.linux])))
    }
case .local:
    coreDependencies.append("TwostepFFI")
    binaryTargets.append(.binaryTarget(name: "TwostepFFI", path: "build/TwostepFFI.xcframework"))
case .release:
    coreDependencies.append("TwostepFFI")
    binaryTargets.append(.binaryTarget(name: "TwostepFFI", url: releaseURL, checksum: releaseChecksum))
}

let package = Package(
    name: "Twostep",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Twostep", targets: ["Twostep"]),
        .library(name: "TwostepModels", targets: ["TwostepModels"]),
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
        .target(name: "TwostepModels", dependencies: ["Twostep"], path: "Sources/TwostepModels"),
        .testTarget(name: "TwostepTests", dependencies: ["Twostep"], path: "Tests/TwostepTests"),
        .testTarget(name: "TwostepModelsTests", dependencies: ["TwostepModels"], path: "Tests/TwostepModelsTests"),
    ] + binaryTargets,
    swiftLanguageModes: [.v6]
)
