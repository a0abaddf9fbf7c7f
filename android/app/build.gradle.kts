// The Twostep app: Compose screens over the `twostep` library.
//
// Screens (src/main/kotlin/dev/twostep/app/ui) and view models (…/model) use androidx.* and the
// library only, never android.* or R: the JVM suite tests/compose compiles these very files
// with Compose Multiplatform's desktop artifacts and clicks through them (scripts/compose-test).
// What is Android's (the activity, the theme's dynamic colours, the Keystore, file paths) stays
// in dev.twostep.app itself.

import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

android {
    namespace = "dev.twostep.app"
    compileSdk = libs.versions.compileSdk.get().toInt()

    defaultConfig {
        applicationId = "dev.twostep.app"
        minSdk = libs.versions.minSdk.get().toInt()
        targetSdk = libs.versions.targetSdk.get().toInt()
        versionCode = 1
        versionName = "0.1.0"
        // The backend the app signs in to. HTTPS only: the core refuses plain HTTP except on
        // loopback (the reference backend in tests). Override per build with
        // -Ptwostep.backendUrl=https://….
        buildConfigField(
            "String",
            "BACKEND_URL",
            "\"" + (project.findProperty("twostep.backendUrl") as String? ?: "https://twostep.example.com") + "\"",
        )
        // Only the ABIs the library builds libtwostep_ffi.so for (twostep/build.gradle.kts,
        // rustAbis). JNA's AAR carries libjnidispatch.so for more; without this filter an APK
        // would install on an x86 device and fail when the bindings first load the library.
        ndk {
            abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64")
        }
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    buildFeatures {
        compose = true
        buildConfig = true
    }

    packaging {
        // Native libraries stay uncompressed and page-aligned in the APK and are loaded from
        // there (the default for minSdk 23+, spelled out because 16 KB devices need it).
        jniLibs.useLegacyPackaging = false
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    implementation(project(":twostep"))
    implementation(libs.kotlinx.coroutines.android)
    implementation(libs.androidx.core.ktx)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.lifecycle.runtime.compose)
    implementation(platform(libs.compose.bom))
    implementation(libs.compose.ui)
    implementation(libs.compose.material3)
    implementation(libs.compose.ui.tooling.preview)
    debugImplementation(libs.compose.ui.tooling)
}
