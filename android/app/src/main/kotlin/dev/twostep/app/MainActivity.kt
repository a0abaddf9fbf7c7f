package dev.twostep.app

import android.os.Bundle
import android.view.WindowManager
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.lifecycle.viewmodel.compose.viewModel
import dev.twostep.android.AndroidKeystoreKeyStore
import dev.twostep.api.AsyncVault
import dev.twostep.app.model.CodesViewModel
import dev.twostep.app.ui.CodesScreen
import java.io.File

/**
 * The app's one activity: the code screen. What is Android's lives here and in Theme.kt (the
 * window, the Keystore, the app's files); the screens (ui/) and view models (model/) are
 * androidx-only, and the JVM suite in tests/compose compiles and clicks through those files.
 */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // Codes are second factors: keep them out of screenshots, screen recordings and the
        // recent-apps thumbnail.
        window.addFlags(WindowManager.LayoutParams.FLAG_SECURE)
        enableEdgeToEdge()
        // Not in files/: a vault whose key stays in this device's Keystore must not be backed up.
        val vaultPath = File(noBackupFilesDir, "vault.sqlite").path
        setContent {
            TwostepTheme {
                CodesScreen(viewModel { CodesViewModel { AsyncVault.openOrCreate(vaultPath, AndroidKeystoreKeyStore()) } })
            }
        }
    }
}
