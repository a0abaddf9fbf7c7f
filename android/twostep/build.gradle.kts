// The `twostep` Android library: libtwostep_ffi.so for each ABI (built from the Rust workspace
// with cargo-ndk), the Kotlin bindings UniFFI generates for it, the Kotlin API over them
// (dev.twostep.api, plain Kotlin also tested on the JVM by tests/kotlin) and the Android
// Keystore key store (dev.twostep.android).
//
// Rust tasks, all in the "rust" group, run by the build when their inputs changed:
//   cargoNdkBuild            cargo ndk … rustc --crate-type cdylib → src/main/jniLibs/<abi>/libtwostep_ffi.so (release)
//   checkJniLibsPageSize     fails unless the 64-bit libraries' LOAD segments are 16 KB aligned
//   uniffiBindgenBuild       host build of uniffi-bindgen and an unstripped libtwostep_ffi (debug)
//   uniffiAndroidConfig      build/generated/uniffi/uniffi-android.toml: uniffi.toml, android = true
//   generateUniffiBindings   uniffi-bindgen (library mode) → build/generated/uniffi/kotlin

import java.io.RandomAccessFile
import java.nio.ByteBuffer
import java.nio.ByteOrder
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

val minSdkVersion = libs.versions.minSdk.get().toInt()

android {
    namespace = "dev.twostep"
    compileSdk = libs.versions.compileSdk.get().toInt()
    ndkVersion = libs.versions.ndk.get()

    defaultConfig {
        minSdk = minSdkVersion
        // On a device or emulator: the Android Keystore key store (src/androidTest).
        testInstrumentationRunner = "androidx.test.runner.AndroidJUnitRunner"
        // JNA reads the generated Structure classes and Library interface by reflection: keep them.
        consumerProguardFiles("consumer-rules.pro")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    sourceSets["main"].kotlin.srcDir(layout.buildDirectory.dir("generated/uniffi/kotlin"))
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

/**
 * The Kotlin half of rustls-platform-verifier (the core's certificate checks on Android, see
 * dev.twostep.android.PlatformTls) must be the release of the Rust crate the library links:
 * its version is read from Cargo.lock's `rustls-platform-verifier-android` entry.
 */
val rustlsPlatformVerifierVersion: Provider<String> =
    providers.fileContents(rootProject.layout.projectDirectory.file("../Cargo.lock")).asText.map { lock ->
        Regex("name = \"rustls-platform-verifier-android\"\\s*\nversion = \"([^\"]+)\"").find(lock)?.groupValues?.get(1)
            ?: error("rustls-platform-verifier-android is not in Cargo.lock")
    }

dependencies {
    // rustls-platform-verifier's Android classes (the repository is declared in settings.gradle.kts).
    implementation(rustlsPlatformVerifierVersion.map { "rustls:rustls-platform-verifier:$it" })
    // The @aar, not the jar: it carries libjnidispatch.so for every Android ABI.
    implementation("net.java.dev.jna:jna:${libs.versions.jna.get()}@aar")
    implementation(libs.androidx.annotation)
    // Flow and suspend functions are part of dev.twostep.api's public API.
    api(libs.kotlinx.coroutines.core)
    implementation(libs.kotlinx.coroutines.android)

    androidTestImplementation(libs.androidx.test.runner)
    androidTestImplementation(libs.androidx.test.junit)
}

// ---- Rust: the library for each ABI, and the Kotlin bindings generated from the same sources ----

/** The repository root: this Gradle build lives in its android/ directory. */
val repoRoot: File = rootProject.projectDir.parentFile

/** Cargo's target directory, honouring CARGO_TARGET_DIR (relative to the repository root). */
val cargoTargetDir: File =
    providers.environmentVariable("CARGO_TARGET_DIR").orNull?.let { repoRoot.resolve(it) } ?: repoRoot.resolve("target")

/** What a Rust build reads: the host build (and so the bindings) is redone only when it changed. */
val rustSources = fileTree(repoRoot) {
    include("Cargo.toml", "Cargo.lock", "uniffi.toml", "core/**", "bindings/**")
    exclude("**/target/**")
}

val rustAbis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")
val jniLibsDir: Directory = layout.projectDirectory.dir("src/main/jniLibs")

val hostOs = System.getProperty("os.name").lowercase()
val hostLibrary: File = cargoTargetDir.resolve(
    when {
        "mac" in hostOs -> "debug/libtwostep_ffi.dylib"
        "windows" in hostOs -> "debug/twostep_ffi.dll"
        else -> "debug/libtwostep_ffi.so"
    },
)
val uniffiBindgen: File = cargoTargetDir.resolve(if ("windows" in hostOs) "debug/uniffi-bindgen.exe" else "debug/uniffi-bindgen")
val uniffiConfigFile = layout.buildDirectory.file("generated/uniffi/uniffi-android.toml")
val uniffiKotlinDir = layout.buildDirectory.dir("generated/uniffi/kotlin")

val cargoNdkBuild by tasks.registering(Exec::class) {
    group = "rust"
    description = "Builds libtwostep_ffi.so (release) for ${rustAbis.joinToString()} into src/main/jniLibs with cargo-ndk."
    // No declared outputs: src/main/jniLibs is a source directory that AGP's own tasks read,
    // and cargo already knows what is stale (a no-op build takes a second or two per ABI).

    workingDir = repoRoot
    commandLine(
        buildList {
            add("cargo")
            add("ndk")
            rustAbis.forEach { add("-t"); add(it) }
            add("--platform"); add("$minSdkVersion")
            add("-o"); add(jniLibsDir.asFile.absolutePath)
            // The cdylib alone: twostep-ffi also declares a staticlib (for iOS), which an
            // Android build would compile and link for nothing. `cargo rustc --crate-type`
            // overrides the manifest's list for this one build.
            add("rustc"); add("--release"); add("-p"); add("twostep-ffi"); add("--lib"); add("--crate-type"); add("cdylib")
        },
    )
    // cargo-ndk links with the NDK AGP resolves for `ndkVersion` (r28+: 16 KB-aligned segments
    // by default), not whichever NDK happens to be newest in the SDK directory.
    val ndkDirectory = androidComponents.sdkComponents.ndkDirectory
    doFirst {
        (this as Exec).environment("ANDROID_NDK_HOME", ndkDirectory.get().asFile.absolutePath)
    }
}

/**
 * The alignment of an ELF file's LOAD segments, read from its program headers: Android 15+
 * devices with 16 KB pages load a 64-bit library only when every LOAD segment is aligned to
 * at least 16 KB. An object, not a function, so task actions can use it without capturing
 * this script.
 */
object Elf {
    private const val PT_LOAD = 1

    fun minLoadAlignment(file: File): Long = RandomAccessFile(file, "r").use { elf ->
        val ident = ByteArray(16).also { elf.readFully(it) }
        require(ident[0] == 0x7f.toByte() && ident[1] == 'E'.code.toByte() && ident[2] == 'L'.code.toByte() && ident[3] == 'F'.code.toByte()) {
            "$file is not an ELF file"
        }
        require(ident[4] == 2.toByte()) { "$file is not a 64-bit ELF file" }
        val order = if (ident[5] == 1.toByte()) ByteOrder.LITTLE_ENDIAN else ByteOrder.BIG_ENDIAN
        fun read(offset: Long, size: Int): ByteBuffer {
            val bytes = ByteArray(size)
            elf.seek(offset)
            elf.readFully(bytes)
            return ByteBuffer.wrap(bytes).order(order)
        }
        val header = read(0, 64)
        val programHeaders = header.getLong(0x20)
        val entrySize = header.getShort(0x36).toInt() and 0xffff
        val count = header.getShort(0x38).toInt() and 0xffff
        (0 until count)
            .map { read(programHeaders + it.toLong() * entrySize, 56) }
            .filter { it.getInt(0) == PT_LOAD }
            .minOfOrNull { it.getLong(48) }
            ?: error("$file has no LOAD segment")
    }
}

val checkJniLibsPageSize by tasks.registering {
    group = "rust"
    description = "Fails unless the 64-bit libtwostep_ffi.so files have 16 KB-aligned LOAD segments."
    dependsOn(cargoNdkBuild)
    val libraries = jniLibsDir.asFileTree.matching { include("arm64-v8a/*.so", "x86_64/*.so") }
    inputs.files(libraries)
    doLast {
        val misaligned = libraries.files.associateWith { Elf.minLoadAlignment(it) }.filterValues { it < 16_384 }
        check(misaligned.isEmpty()) {
            "not 16 KB aligned (use NDK r28+, see gradle/libs.versions.toml): " +
                misaligned.entries.joinToString { (file, align) -> "${file.parentFile.name}/${file.name} aligns to $align" }
        }
    }
}

val uniffiBindgenBuild by tasks.registering(Exec::class) {
    group = "rust"
    description = "Builds uniffi-bindgen and an unstripped host libtwostep_ffi (debug) to generate the bindings from."
    inputs.files(rustSources).withPathSensitivity(PathSensitivity.RELATIVE)
    outputs.files(hostLibrary, uniffiBindgen)
    workingDir = repoRoot
    // The same command as scripts/kotlin-test: the `cli` feature only adds the generator binary.
    commandLine("cargo", "build", "-p", "twostep-ffi", "--features", "cli", "--lib", "--bin", "uniffi-bindgen")
}

// The root uniffi.toml is the one source of binding settings; its Kotlin section says
// `android = false` for the JVM suite. The Android build generates with a copy of it in which
// that one key is true (the generated code then uses Android's cleaner and @RequiresApi), and
// fails loudly if the key is not there exactly once rather than generating JVM bindings.
val uniffiAndroidConfig by tasks.registering {
    group = "rust"
    description = "Writes build/generated/uniffi/uniffi-android.toml: the root uniffi.toml with android = true."
    val source = repoRoot.resolve("uniffi.toml")
    val target = uniffiConfigFile
    inputs.file(source)
    outputs.file(target)
    doLast {
        val key = Regex("""(?m)^([ \t]*)android[ \t]*=[ \t]*false[ \t]*(#.*)?$""")
        val text = source.readText()
        val found = key.findAll(text).count()
        check(found == 1) { "expected one `android = false` line in $source to override, found $found" }
        target.get().asFile.writeText(
            "# Generated by :twostep:uniffiAndroidConfig from ${source.name}; edit that file, not this one.\n" +
                key.replace(text) { "${it.groupValues[1]}android = true" },
        )
    }
}

val generateUniffiBindings by tasks.registering(Exec::class) {
    group = "rust"
    description = "Generates the Kotlin bindings (library mode, android = true) into build/generated/uniffi/kotlin."
    dependsOn(uniffiBindgenBuild, uniffiAndroidConfig)
    inputs.files(hostLibrary, uniffiConfigFile)
    outputs.dir(uniffiKotlinDir)

    // Library mode reads the interface from metadata symbols in the library, so it needs an
    // unstripped build: the host debug build is one, and its interface is the one in the
    // release .so files (same sources, same Gradle run; UniFFI's checksums refuse a mismatch
    // at load). AGP strips the .so files when it packages the APK, after this.
    val out = uniffiKotlinDir
    workingDir = repoRoot
    commandLine(
        uniffiBindgen.absolutePath, "generate", hostLibrary.absolutePath,
        "--language", "kotlin", "--no-format",
        "--config", uniffiConfigFile.get().asFile.absolutePath,
        "--out-dir", out.get().asFile.absolutePath,
    )
    doFirst { out.get().asFile.deleteRecursively() }
}

// The bindings before anything compiles (a quick host build, also on IDE sync); the release
// libraries (three LTO builds) only when native libraries are merged into the AAR/APK.
tasks.named("preBuild") {
    dependsOn(generateUniffiBindings)
}
tasks.matching { it.name.startsWith("merge") && it.name.endsWith("JniLibFolders") }.configureEach {
    dependsOn(checkJniLibsPageSize)
}

tasks.named<Delete>("clean") {
    delete(jniLibsDir)
}
