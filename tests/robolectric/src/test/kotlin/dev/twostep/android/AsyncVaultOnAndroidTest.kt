package dev.twostep.android

import dev.twostep.api.AsyncVault
import java.io.File
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.junit.Assert.assertEquals
import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner

/**
 * The library's async API as the app calls it on Android: first launch creates the vault with
 * the Keystore key store, a link is added, the code screen's rows come from the core at the
 * clock given. Through the android = true bindings (Android's cleaner on SDK 33+).
 */
@RunWith(RobolectricTestRunner::class)
class AsyncVaultOnAndroidTest {
    private val uri = "otpauth://totp/GitHub:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub"

    @get:Rule
    val temp = TemporaryFolder()

    @Before
    fun setUp() {
        TestAndroidKeyStore.install()
        TestAndroidKeyStore.clear()
    }

    @Test
    fun firstLaunchCreatesTheVaultAndTheNextOpensIt() = runTest {
        val path = File(temp.root, "vault.sqlite").path
        val io = StandardTestDispatcher(testScheduler)
        // 1 700 000 000 s: 10 s left in the period.
        val clock = { 1_700_000_000_000L + testScheduler.currentTime }

        AsyncVault.openOrCreate(path, AndroidKeystoreKeyStore(), io, clock).use { it.addUri(uri) }

        AsyncVault.openOrCreate(path, AndroidKeystoreKeyStore(), io, clock).use { vault ->
            val row = vault.rows().first().single()
            assertEquals("GitHub", row.entry.issuer)
            assertEquals(10u, row.code!!.timing!!.secondsLeft)
            assertEquals(dev.twostep.core.codeFromUri(uri, 1_700_000_000uL), row.code!!.code)
        }
    }
}
