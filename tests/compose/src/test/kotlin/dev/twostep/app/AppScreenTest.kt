package dev.twostep.app

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextInput
import androidx.lifecycle.viewmodel.compose.viewModel
import dev.twostep.app.model.AppViewModel
import dev.twostep.app.ui.AppScreen
import dev.twostep.core.TwostepClient
import dev.twostep.core.Vault
import dev.twostep.testing.AesGcmKeyStore
import dev.twostep.testing.InvalidatedKeyStore
import dev.twostep.testing.ReferenceBackend
import java.io.File
import org.junit.Assert.assertArrayEquals
import org.junit.Test

/**
 * The app as MainActivity shows it (AppScreen over AppViewModel): opening the vault, then
 * moving between the screens with the bar, against the real backend.
 */
@OptIn(ExperimentalTestApi::class)
class AppScreenTest : ScreenTest() {
    @Test
    fun aSellerSignsInMovesBetweenTheScreensAndLogsOut() = ReferenceBackend.start(temp.root.toPath()).use { server ->
        val sellers = Sellers(server, temp.newFolder().toPath())
        val phone = sellers.device(PHONE)
        val entry = sellers.enrolled(phone, "app@example.com")
        val laptopVault = temp.newFolder().resolve("vault.sqlite").path
        runScreenTest {
            show {
                AppScreen(
                    viewModel {
                        AppViewModel(
                            { TwostepClient(server.url, LAPTOP, Vault.openOrCreate(laptopVault, AesGcmKeyStore(), null), null, null) },
                            dispatcher,
                            clockMillis,
                        )
                    },
                )
            }
            awaitNode(hasTestTag("email"))
            onNodeWithTag("tab-codes").assertDoesNotExist() // no bar before signing in
            onNodeWithTag("email").performTextInput("app@example.com")
            onNodeWithTag("password").performTextInput(PASSWORD)
            nextFrame()
            click("Sign in")
            awaitNode(hasTestTag("code"))
            onNodeWithTag("code").performTextInput(phone.code(entry))
            click("Verify")
            awaitNode(hasTestTag("message") and hasText("Signed in", substring = true))
            click("Continue")

            // The codes screen, then the settings and the logout through the bar.
            awaitText("No accounts yet. Add one with its otpauth:// link or QR code.")
            onNodeWithTag("tab-settings").performClick()
            awaitText("app@example.com")
            awaitText("Authenticator app")
            onNodeWithTag("tab-logout").performClick()
            awaitNode(hasText("You will be signed out of this app.", substring = true))
            // The button, not the bar's tab of the same name.
            onNode(hasText("Log out") and hasClickAction() and hasTestTag("tab-logout").not()).performClick()
            nextFrame()
            awaitNode(hasTestTag("message") and hasText("Logged out.", substring = true))
            click("Sign in")
            awaitNode(hasTestTag("email"))
            onNodeWithTag("tab-codes").assertDoesNotExist()
        }
    }

    @Test
    fun aSignedInSellerChangesMethodsFromTheSettingsWithACodeFromACurrentOne() =
        ReferenceBackend.start(temp.root.toPath()).use { server ->
            val sellers = Sellers(server, temp.newFolder().toPath())
            val vault = Vault.openOrCreate(temp.newFolder().resolve("vault.sqlite").path, AesGcmKeyStore(), null)
            val phone = TwostepClient(server.url, PHONE, vault, null, null)
            val first = sellers.enrolled(phone, "change@example.com")
            runScreenTest {
                // The phone is still signed in from enrolling: the app opens on the codes.
                show { AppScreen(viewModel { AppViewModel({ phone }, dispatcher, clockMillis) }) }
                awaitNode(hasTestTag("tab-settings"))
                onNodeWithTag("tab-settings").performClick()
                awaitText("•••• 0100")
                click("Change methods")

                // Proving with the backup: a code by text message.
                click("•••• 0100")
                awaitNode(hasTestTag("instruction") and hasText("We sent a code by text message to •••• 0100."))
                onNodeWithTag("code").performTextInput(sellers.lastCode("change@example.com"))
                click("Continue")

                // The new pair: the app again, and a landline as the backup.
                scrollTo(hasTestTag("primary-authenticator_app")).performClick()
                nextFrame()
                scrollTo(hasTestTag("backup-voice")).performClick()
                nextFrame()
                onNodeWithTag("backup-number").performTextInput("+1 206 555 0199")
                scrollTo(hasText("This is a landline")).performClick()
                click("Continue")
                awaitNode(hasTestTag("instruction") and hasText("This app now makes codes for", substring = true))
                // The app's new seed is a new entry in the phone's vault, beside the first one.
                val entry = vault.list().map { it.id }.single { it != first }
                onNodeWithTag("code").performTextInput(phone.code(entry))
                click("Confirm")
                awaitNode(hasTestTag("instruction") and hasText("0199", substring = true))
                onNodeWithTag("code").performTextInput(sellers.lastCode("change@example.com"))
                click("Confirm")
                awaitNode(hasTestTag("message"))
                click("Continue")

                // Back in the settings, the new backup is the one shown.
                awaitText("•••• 0199")
                onNodeWithText("•••• 0100").assertDoesNotExist()
            }
        }

    @Test
    fun aVaultWhoseKeyWasInvalidatedIsKeptAndTheCoreSaysWhy() = runScreenTest {
        val path = temp.root.resolve("vault.sqlite").path
        Vault.openOrCreate(path, AesGcmKeyStore(), null).close()
        val before = File(path).readBytes()
        show {
            AppScreen(
                viewModel {
                    AppViewModel(
                        { TwostepClient("http://127.0.0.1:9", PHONE, Vault.openOrCreate(path, InvalidatedKeyStore(), null), null, null) },
                        dispatcher,
                        clockMillis,
                    )
                },
            )
        }
        awaitNode(hasTestTag("vault-failed") and hasText("can't be unlocked on this phone", substring = true))
        onNodeWithText("They were kept: restore them from a backup.", substring = true).assertExists()
        settle()
        screenshot("vault-key-invalidated")
        assertArrayEquals("the vault file is untouched", before, File(path).readBytes())
    }
}
