package dev.twostep.app

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.isDialog
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextInput
import androidx.lifecycle.viewmodel.compose.viewModel
import dev.twostep.api.AsyncVault
import dev.twostep.app.model.CodesViewModel
import dev.twostep.app.ui.CodesScreen
import dev.twostep.core.Vault
import dev.twostep.core.codeFromUri
import dev.twostep.core.groupCode
import dev.twostep.testing.AesGcmKeyStore
import org.junit.Assert.assertEquals
import org.junit.Test

/** RFC 6238's SHA-1 seed "12345678901234567890" in base32. */
private const val SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
private const val URI = "otpauth://totp/Example%20Shop:ada@example.com?secret=$SECRET&issuer=Example%20Shop"

/** The seller's codes: a real vault file, a link added through the dialog, the countdown ticking. */
@OptIn(ExperimentalTestApi::class)
class CodesScreenTest : ScreenTest() {
    private val keyStore = AesGcmKeyStore()

    /** The code the core gives for [URI] at [unixSeconds], grouped as the screen shows it. */
    private fun groupedAt(unixSeconds: Long) = groupCode(codeFromUri(URI, unixSeconds.toULong()))

    private fun SkikoComposeUiTest.showCodes(path: String) = show {
        CodesScreen(viewModel { CodesViewModel { AsyncVault.openOrCreate(path, keyStore, dispatcher, clockMillis) } })
    }

    @Test
    fun anAddedLinkShowsItsIssuerGroupedCodeAndACountdownThatMoves() = runScreenTest {
        val path = temp.root.resolve("vault.sqlite").path
        showCodes(path)
        onNodeWithText("No accounts yet. Add one with its otpauth:// link.").assertExists()

        onNode(hasText("Add") and hasClickAction()).performClick()
        nextFrame()
        onNode(hasSetTextAction()).performTextInput(URI)
        nextFrame()
        onNode(hasText("Add") and hasClickAction() and hasAnyAncestor(isDialog())).performClick()
        nextFrame() // the vault adds the entry
        mainClock.advanceTimeBy(500) // the dialog closes (and fades out)
        onNode(isDialog()).assertDoesNotExist()

        val start = ScreenTest.START_MILLIS / 1000
        onNodeWithText("Example Shop").assertExists()
        onNodeWithText("ada@example.com").assertExists()
        onNodeWithText(groupedAt(start)).assertExists()
        onNodeWithText("10 s").assertExists()
        screenshot("codes")

        mainClock.advanceTimeBy(1_000)
        onNodeWithText("9 s").assertExists()
        onNodeWithText(groupedAt(start)).assertExists()

        // The period ends 10 s after the start: a new code with a full countdown.
        mainClock.advanceTimeBy(9_000)
        onNodeWithText("30 s").assertExists()
        onNodeWithText(groupedAt(start + 10)).assertExists()
        onNodeWithText(groupedAt(start)).assertDoesNotExist()

        // The entry is in the vault file, not only on screen.
        onNodeWithText("Example Shop").assertExists()
        assertEquals(listOf("Example Shop"), Vault.open(path, keyStore).use { vault -> vault.list().map { it.issuer } })
    }
}
