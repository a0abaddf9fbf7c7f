//! The one JNI entry of the Android library: `dev.twostep.android.PlatformTls.nativeInit`,
//! which hands the app's `Context` to rustls-platform-verifier so the core checks the
//! backend's certificate with Android's own trust manager (system and user roots, revocation
//! where Android does it).
//!
//! A crate of its own because a JNI entry needs an exported, unmangled symbol, which is
//! `unsafe_code` to the compiler: every other crate of the workspace forbids unsafe code, and
//! this one allows it for that attribute alone. Empty on every platform but Android. The
//! symbol is exported from `libtwostep_ffi.so` like UniFFI's own (the cdylib keeps every
//! exported symbol of the crates it links).
#![deny(unsafe_code)]

#[cfg(target_os = "android")]
mod entry {
    use jni::EnvUnowned;
    use jni::errors::ThrowRuntimeExAndDefault;
    use jni::objects::{JClass, JObject};

    /// Called once by `PlatformTls.init(context)` before the first request. A failure (the
    /// verifier's classes missing from the APK) is thrown into Kotlin as a RuntimeException:
    /// an app that cannot check certificates must not start talking to its backend.
    #[allow(unsafe_code)] // the exported symbol only: the body is safe Rust
    #[jni::jni_mangle("dev.twostep.android.PlatformTls")]
    pub extern "system" fn native_init<'caller>(
        mut env: EnvUnowned<'caller>,
        _class: JClass<'caller>,
        context: JObject<'caller>,
    ) {
        env.with_env(|env| rustls_platform_verifier::android::init_with_env(env, context))
            .resolve::<ThrowRuntimeExAndDefault>();
    }
}
