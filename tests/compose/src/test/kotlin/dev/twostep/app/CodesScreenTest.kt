package dev.twostep.app

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.isDialog
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextClearance
import androidx.compose.ui.test.performTextInput
import androidx.lifecycle.viewmodel.compose.viewModel
import dev.twostep.app.model.CodesViewModel
import dev.twostep.app.ui.CodesScreen
import dev.twostep.core.Clock
import dev.twostep.core.CodesFlow
import dev.twostep.core.TwostepClient
import dev.twostep.core.Vault
import dev.twostep.core.codeFromUri
import dev.twostep.core.groupCode
import dev.twostep.testing.AesGcmKeyStore
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Test

/** RFC 6238's SHA-1 seed "12345678901234567890" in base32. */
private const val SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
private const val URI = "otpauth://totp/Example%20Shop:ada@example.com?secret=$SECRET&issuer=Example%20Shop"

/** The same seed as a counter-based (HOTP) account: RFC 4226's code at counter 0 is 755224. */
private const val HOTP_URI = "otpauth://hotp/Warehouse:bob?secret=$SECRET&issuer=Warehouse&counter=0"

/**
 * The seller's codes through the core's codes flow: a real vault file, links added through
 * the dialog, the countdown and the next code on the test's clock, a counter-based code shown
 * only on request.
 */
@OptIn(ExperimentalTestApi::class)
class CodesScreenTest : ScreenTest() {
    private val keyStore = AesGcmKeyStore()

    /** The code the core gives for [URI] at [unixSeconds], grouped as the screen shows it. */
    private fun groupedAt(unixSeconds: Long) = groupCode(codeFromUri(URI, unixSeconds.toULong()))

    /**
     * The codes screen of a phone whose clock is the test's. No server answers at that
     * address: codes need none, and with no server time known they follow the phone's clock.
     */
    private fun SkikoComposeUiTest.showCodes(path: String) {
        val clock = object : Clock {
            override fun nowUnixSeconds(): ULong = (clockMillis() / 1000).toULong()
        }
        val client = TwostepClient("http://127.0.0.1:9", PHONE, Vault.openOrCreate(path, keyStore, clock), null, clock)
        show { CodesScreen(viewModel { CodesViewModel(CodesFlow(client), dispatcher, clockMillis) }) }
    }

    private fun SkikoComposeUiTest.addLink(link: String) {
        onNode(hasText("Add") and hasClickAction()).performClick()
        nextFrame()
        onNode(hasSetTextAction()).performTextClearance()
        onNode(hasSetTextAction()).performTextInput(link)
        nextFrame()
        onNode(hasText("Add") and hasClickAction() and hasAnyAncestor(isDialog())).performClick()
        nextFrame() // the vault adds the entry
        mainClock.advanceTimeBy(500) // the dialog closes (and fades out)
    }

    @Test
    fun anAddedLinkShowsItsGroupedCodeACountdownThatMovesAndTheNextCodeNearTheChange() = runScreenTest {
        val path = temp.root.resolve("vault.sqlite").path
        showCodes(path)
        onNodeWithText("No accounts yet. Add one with its otpauth:// link or QR code.").assertExists()

        addLink(URI)
        onNode(isDialog()).assertDoesNotExist()
        val start = START_MILLIS / 1000
        onNodeWithText("Example Shop").assertExists()
        onNodeWithText("ada@example.com").assertExists()
        onNodeWithText(groupedAt(start)).assertExists()
        onNodeWithText("10 s").assertExists()

        mainClock.advanceTimeBy(1_000)
        onNodeWithText("9 s").assertExists()
        onNodeWithText(groupedAt(start)).assertExists()

        // Two seconds before the change, the code that comes next shows under the account.
        mainClock.advanceTimeBy(7_000)
        onNodeWithText("2 s").assertExists()
        onNodeWithText("Next: " + groupedAt(start + 10)).assertExists()
        settle()
        screenshot("codes")

        // The period ends 10 s after the start (settle() took 600 ms of it): the new code with
        // a full countdown.
        mainClock.advanceTimeBy(1_400)
        onNodeWithText("30 s").assertExists()
        onNodeWithText(groupedAt(start + 10)).assertExists()
        onNodeWithText(groupedAt(start)).assertDoesNotExist()

        // The entry is in the vault file, not only on screen.
        assertEquals(listOf("Example Shop"), Vault.open(path, keyStore).use { vault -> vault.list().map { it.issuer } })
    }

    @Test
    fun aRefusedLinkSaysWhyAndACounterCodeShowsOnlyWhenAskedFor() = runScreenTest {
        val path = temp.root.resolve("vault.sqlite").path
        showCodes(path)

        addLink("otpauth://totp/Shop:ada?secret=NOT-BASE32!")
        onNode(isDialog()).assertExists()
        awaitNode(hasText("This link can't be added", substring = true))
        // The reason names what is wrong and never repeats the link (it holds the secret).
        val reason = onNode(hasText("This link can't be added", substring = true), useUnmergedTree = true)
            .fetchSemanticsNode().config[SemanticsProperties.Text].joinToString("") { it.text }
        assertFalse(reason, reason.contains("NOT-BASE32"))
        onNode(hasText("Cancel") and hasClickAction()).performClick()
        mainClock.advanceTimeBy(500)

        addLink(HOTP_URI)
        onNodeWithText("Warehouse").assertExists()
        onNodeWithText("755 224").assertDoesNotExist()
        click("Tap for a code")
        awaitText("755 224")
        // Showing it used counter 0: the vault moved on, and the next code is counter 1's (287082).
        val next = Vault.open(path, keyStore).use { vault -> vault.code(vault.list().single().id, 0uL) }
        assertEquals("287082", next)
    }
}
