package dev.twostep.app

import android.os.Build
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.lifecycle.viewmodel.compose.viewModel
import dev.twostep.android.AndroidKeystoreKeyStore
import dev.twostep.android.PlatformTls
import dev.twostep.app.model.AppViewModel
import dev.twostep.app.ui.AppScreen
import dev.twostep.core.TwostepClient
import dev.twostep.core.Vault
import dev.twostep.model.ClientIdentity
import dev.twostep.model.ClientKind
import java.io.File

/**
 * The app's one activity. What is Android's lives here and in Theme.kt (the window, TLS's
 * platform verifier, the Keystore, the app's files, the build's backend address); the
 * screens (ui/) and view models (model/) are androidx-only, and the JVM suite in
 * tests/compose compiles and clicks through those very files.
 */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // Codes are second factors: keep them out of screenshots, screen recordings and the
        // recent-apps thumbnail.
        window.addFlags(WindowManager.LayoutParams.FLAG_SECURE)
        enableEdgeToEdge()
        // The core checks the backend's certificate with Android's own verifier (the user's
        // and the system's trust store); it needs the app's context once, before any request.
        PlatformTls.init(applicationContext)
        // Not in files/: a vault whose key stays in this device's Keystore must not be backed up.
        val vaultPath = File(noBackupFilesDir, "vault.sqlite").path
        val identity = ClientIdentity(
            kind = ClientKind.APP,
            appVersion = BuildConfig.VERSION_NAME,
            userAgent = "Seller app ${BuildConfig.VERSION_NAME} on Android ${Build.VERSION.RELEASE}",
            platform = "android",
        )
        setContent {
            TwostepTheme {
                AppScreen(
                    viewModel {
                        // Run by the view model off the main thread: the Keystore and SQLite block.
                        AppViewModel({
                            val vault = Vault.openOrCreate(vaultPath, AndroidKeystoreKeyStore(), null)
                            TwostepClient(BuildConfig.BACKEND_URL, identity, vault, null, null)
                        })
                    },
                )
            }
        }
    }
}
