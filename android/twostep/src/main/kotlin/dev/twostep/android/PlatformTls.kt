package dev.twostep.android

import android.content.Context

/**
 * The core's HTTPS on Android: it checks the backend's certificate with Android's own trust
 * manager (the system's roots, the ones the user or the device's admin installed, and
 * revocation where Android checks it), through rustls-platform-verifier, which needs the app's
 * [Context] before the first request. Without it every HTTPS request fails; plain HTTP is
 * refused by the core beyond loopback.
 *
 * Call [init] once, early (the first activity's `onCreate` or `Application.onCreate`); more
 * calls are harmless. It needs the verifier's Kotlin half in the APK (this library depends on
 * it) and kept by R8 (consumer-rules.pro).
 */
object PlatformTls {
    @Volatile
    private var done = false

    /** Hands the application context to the core's certificate verifier. */
    @JvmStatic
    fun init(context: Context) {
        if (done) return
        synchronized(this) {
            if (done) return
            // JNA loads the library for the bindings; a JNI method needs it loaded through the
            // JVM too (the same file, loaded once by the system's linker).
            System.loadLibrary("twostep_ffi")
            nativeInit(context.applicationContext)
            done = true
        }
    }

    /** In libtwostep_ffi.so: bindings/android-init. Throws if the verifier cannot start. */
    @JvmStatic
    private external fun nativeInit(context: Context)
}
