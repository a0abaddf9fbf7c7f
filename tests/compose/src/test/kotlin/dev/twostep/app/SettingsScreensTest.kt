package dev.twostep.app

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextClearance
import androidx.compose.ui.test.performTextInput
import dev.twostep.app.model.MethodsViewModel
import dev.twostep.app.model.SecuritySettingsViewModel
import dev.twostep.app.ui.MethodsScreen
import dev.twostep.app.ui.SecuritySettingsScreen
import dev.twostep.core.ApprovalsFlow
import dev.twostep.core.MethodsFlow
import dev.twostep.core.SecuritySettingsFlow
import dev.twostep.core.SignInFlow
import dev.twostep.core.TwostepClient
import dev.twostep.model.MethodsStep
import dev.twostep.model.SignInStep
import dev.twostep.testing.ReferenceBackend
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** The security settings and enabling two-step verification, on screen, against the real backend. */
@OptIn(ExperimentalTestApi::class)
class SettingsScreensTest : ScreenTest() {
    /**
     * A seller enrolled on the phone (which approves sign-ins), signed in on the laptop with
     * "Don't require codes on this device"; [block] gets the laptop and the login's email.
     */
    private fun withTrustedLaptop(email: String, block: SkikoComposeUiTest.(TwostepClient, TwostepClient) -> Unit) =
        ReferenceBackend.start(temp.root.toPath()).use { server ->
            val sellers = Sellers(server, temp.newFolder().toPath())
            val phone = sellers.device(PHONE)
            val entry = sellers.enrolled(phone, email)
            val laptop = sellers.device(LAPTOP)
            runBlocking {
                ApprovalsFlow(phone).register("push-token-settings")
                val signIn = SignInFlow(laptop)
                signIn.submitPassword(email, PASSWORD)
                assertTrue(signIn.submitCode(phone.code(entry), true).step is SignInStep.SignedIn)
            }
            runScreenTest { block(phone, laptop) }
        }

    private fun SkikoComposeUiTest.showSettings(client: TwostepClient) {
        val settings = SecuritySettingsViewModel(SecuritySettingsFlow(client))
        show { SecuritySettingsScreen(settings) }
    }

    /** The next sign-in's code prompt on [laptop], and why it asks (the core's words). */
    private fun nextSignInAsksWhy(laptop: TwostepClient, email: String): String? = runBlocking {
        val step = SignInFlow(laptop).submitPassword(email, PASSWORD).step
        assertTrue("a code is asked for: $step", step is SignInStep.Code)
        (step as SignInStep.Code).prompt.trustLostMessage
    }

    @Test
    fun theSettingsShowMethodsAndDevicesAndRequireCodesEndsThisDevicesTrust() =
        withTrustedLaptop("require@example.com") { _, laptop ->
            showSettings(laptop)
            awaitText("require@example.com")
            awaitText("Authenticator app") // the methods, once the server answered
            onNodeWithText("•••• 0100", substring = true).assertExists()
            onNodeWithText("1 device doesn't ask for codes.").assertExists()
            val trusted = hasTestTag("this-device") and hasText("This device doesn't ask for codes (for ", substring = true)
            onNode(trusted, useUnmergedTree = true).assertExists()
            awaitNode(hasTestTag("phone-0"))
            // A row's texts are merged into the row: look at them one by one.
            fun inRow(row: String, text: String) =
                onNode(hasText(text, substring = true) and hasAnyAncestor(hasTestTag(row)), useUnmergedTree = true)
            inRow("phone-0", "Android phone, app 4.2.0").assertExists()
            inRow("trusted-0", "Firefox 128 on Linux").assertExists()
            inRow("trusted-0", "This device · Network").assertExists()
            settle()
            screenshot("security-settings")
            scrollTo(hasTestTag("trusted-0"))
            settle()
            screenshot("security-settings-devices")

            click("Require codes on all devices")
            awaitText("No device skips codes: every sign-in asks for one.")
            awaitNode(hasTestTag("notice"))
            onNodeWithTag("trusted-0").assertDoesNotExist()
            onNode(hasTestTag("this-device") and hasText("doesn't ask", substring = true), useUnmergedTree = true)
                .assertDoesNotExist()
            assertTrue(nextSignInAsksWhy(laptop, "require@example.com") != null)
        }

    @Test
    fun revokingADeviceMakesItAskAndRemovingAPhoneStopsItsApprovals() =
        withTrustedLaptop("devices@example.com") { phone, laptop ->
            showSettings(phone)
            awaitNode(hasTestTag("trusted-0"))
            scrollTo(hasText("Revoke") and hasAnyAncestor(hasTestTag("trusted-0"))).performClick()
            awaitText("That device will ask for a code at its next sign-in.")
            onNodeWithTag("trusted-0").assertDoesNotExist()
            val why = nextSignInAsksWhy(laptop, "devices@example.com")
            assertTrue("the laptop is told why it is asked again", why != null)

            scrollTo(hasText("Remove") and hasAnyAncestor(hasTestTag("phone-0"))).performClick()
            awaitText("That phone no longer approves your sign-ins.")
            onNodeWithTag("phone-0").assertDoesNotExist()
            val asked = runBlocking { SignInFlow(laptop).submitPassword("devices@example.com", PASSWORD).step }
            assertEquals("the removed phone is not offered for approval", false, (asked as SignInStep.Code).prompt.pushAvailable)
        }

    @Test
    fun enablingRefusesTheSameNumberTwiceThenConfirmsAppAndSms() = ReferenceBackend.start(temp.root.toPath()).use { server ->
        val sellers = Sellers(server, temp.newFolder().toPath())
        val phone = sellers.device(PHONE)
        runBlocking {
            phone.createLogin("enable@example.com", PASSWORD)
            phone.signIn("enable@example.com", PASSWORD)
        }
        val flow = MethodsFlow.enable(phone)
        val methods = MethodsViewModel(flow)
        runScreenTest {
            show { MethodsScreen(methods) }
            onNodeWithTag("primary-sms").performClick()
            nextFrame()
            onNodeWithTag("primary-number").performTextInput(SMS_NUMBER)
            onNodeWithTag("backup-voice").performClick()
            nextFrame()
            onNodeWithTag("backup-number").performTextInput("+1 (206) 555-0100")
            click("Continue")
            awaitText("You cannot use the same telephone number for both your primary and backup method.")
            settle()
            screenshot("enable-2sv")

            scrollTo(hasTestTag("primary-authenticator_app")).performClick()
            nextFrame()
            scrollTo(hasTestTag("backup-sms")).performClick()
            nextFrame()
            onNodeWithTag("backup-number").performTextClearance()
            onNodeWithTag("backup-number").performTextInput(SMS_NUMBER)
            click("Continue")
            awaitNode(hasTestTag("instruction") and hasText("This app now makes codes for", substring = true))
            val entry = (flow.state().step as MethodsStep.Confirm).authenticatorEntryId!!
            onNodeWithTag("code").performTextInput(phone.code(entry))
            click("Confirm")
            awaitText("We sent a code by text message to •••• 0100. Enter it to confirm this method.")
            onNodeWithTag("code").performTextInput(sellers.lastCode("enable@example.com"))
            click("Confirm")
            awaitNode(hasTestTag("message"))
            assertTrue(flow.state().step is MethodsStep.Done)
            onNode(hasText("Continue") and hasClickAction()).assertExists()
        }
    }
}
