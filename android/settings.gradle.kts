// The Android build: the `twostep` library (Rust library per ABI, generated Kotlin bindings, the
// Kotlin API and the Android Keystore key store) and the `app` that shows codes with it.
// Versions live in gradle/libs.versions.toml. See README.md for the toolchain it needs.

pluginManagement {
    repositories {
        google {
            content {
                includeGroupByRegex("com\\.android.*")
                includeGroupByRegex("com\\.google.*")
                includeGroupByRegex("androidx.*")
            }
        }
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
        // rustls-platform-verifier's Kotlin half is published only here, by its authors.
        maven("https://github.com/rustls/rustls-platform-verifier/raw/maven-archive/android-release-support/maven/") {
            content { includeGroup("rustls") }
        }
    }
}

rootProject.name = "twostep-android"

include(":twostep")
include(":app")
