package dev.twostep.app

import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextInput
import dev.twostep.app.model.ApprovalsViewModel
import dev.twostep.app.model.LogoutViewModel
import dev.twostep.app.model.SignInViewModel
import dev.twostep.app.ui.ApprovalsScreen
import dev.twostep.app.ui.LogoutScreen
import dev.twostep.app.ui.SignInScreen
import dev.twostep.core.ApprovalsFlow
import dev.twostep.core.LogoutFlow
import dev.twostep.core.SignInFlow
import dev.twostep.core.TwostepClient
import dev.twostep.model.SignInStep
import dev.twostep.testing.ReferenceBackend
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * Signing in on the laptop's screen against the real backend: with the app's code, with the
 * backup's after "Didn't receive the code?", with a push answered by the phone (driven in
 * code), and trust kept, then reset by logging out.
 */
@OptIn(ExperimentalTestApi::class)
class SignInScreenTest : ScreenTest() {
    /** What the window shows; a test moves from screen to screen by setting it. */
    private var screen by mutableStateOf<@Composable () -> Unit>({})

    private fun SkikoComposeUiTest.signInOn(laptop: TwostepClient): SignInViewModel {
        val viewModel = SignInViewModel(SignInFlow(laptop))
        screen = { SignInScreen(viewModel) }
        nextFrame()
        return viewModel
    }

    private fun SkikoComposeUiTest.typePassword(email: String) {
        awaitNode(hasTestTag("email"))
        onNodeWithTag("email").performTextInput(email)
        onNodeWithTag("password").performTextInput(PASSWORD)
        nextFrame()
    }

    private fun withSeller(email: String, block: SkikoComposeUiTest.(Sellers, TwostepClient, TwostepClient, String) -> Unit) =
        ReferenceBackend.start(temp.root.toPath()).use { server ->
            val sellers = Sellers(server, temp.newFolder().toPath())
            val phone = sellers.device(PHONE)
            val entry = sellers.enrolled(phone, email)
            val laptop = sellers.device(LAPTOP)
            runScreenTest {
                show { screen() }
                block(sellers, phone, laptop, entry)
            }
        }

    @Test
    fun aCodeFromTheAppSignsInAndADeviceRememberedSkipsItNextTime() = withSeller("code@example.com") { _, phone, laptop, entry ->
        signInOn(laptop)
        typePassword("code@example.com")
        settle()
        screenshot("sign-in")
        click("Sign in")
        awaitNode(hasTestTag("code"))
        onNodeWithText("Enter the code from your authenticator app.").assertExists()
        onNodeWithText("Didn't receive the code?").assertExists()
        onNodeWithText("Don't ask for codes on this device").assertExists()
        settle()
        screenshot("code-prompt")

        onNodeWithTag("code").performTextInput(phone.code(entry))
        onNodeWithTag("remember-device").performClick()
        click("Verify")
        awaitText("Signed in. This device won't ask for codes for 30 days.")

        // A second sign-in on this laptop: trusted, no code.
        signInOn(laptop)
        typePassword("code@example.com")
        click("Sign in")
        awaitText("Signed in. This device is trusted, so no code was needed.")

        // Logging out resets that trust, and says so.
        val logout = LogoutViewModel(LogoutFlow(laptop))
        screen = { LogoutScreen(logout) }
        nextFrame()
        onNodeWithText("Don't ask for codes on this device", substring = true).assertExists()
        settle()
        screenshot("logout")
        click("Log out")
        awaitText("Logged out. This device will ask for a code at your next sign-in.")

        signInOn(laptop)
        typePassword("code@example.com")
        click("Sign in")
        awaitNode(hasTestTag("trust-lost"))
        onNodeWithTag("code").assertExists()
    }

    @Test
    fun didntReceiveTheCodeSendsItToTheBackup() = withSeller("backup@example.com") { sellers, _, laptop, _ ->
        signInOn(laptop)
        typePassword("backup@example.com")
        click("Sign in")
        awaitText("Didn't receive the code?")
        click("Didn't receive the code?")
        awaitNode(hasText("•••• 0100", substring = true) and hasTestTag("instruction"))
        settle()
        screenshot("backup-code-prompt")

        onNodeWithTag("code").performTextInput(sellers.lastCode("backup@example.com"))
        click("Verify")
        awaitNode(hasTestTag("message") and hasText("Signed in", substring = true))
    }

    @Test
    fun aPushApprovedWithTheNumberOnScreenSignsIn() = withSeller("push@example.com") { _, phone, laptop, _ ->
        val approvals = ApprovalsFlow(phone)
        runBlocking { approvals.register("push-token-1") }
        signInOn(laptop)
        typePassword("push@example.com")
        click("Sign in")
        awaitText("Approve on my phone instead")
        click("Approve on my phone instead")
        awaitNode(hasTestTag("push-number"))
        val number = textOf("push-number")
        onNodeWithText("enter $number to approve", substring = true).assertExists()
        settle()
        screenshot("push-wait")

        // The phone, driven in code, types the number the seller reads on this screen.
        val answered = runBlocking {
            val request = approvals.checkForRequests().requests.single()
            approvals.approve(request.challengeId, number)
        }
        assertEquals("Approved. The sign-in will continue on the other device.", answered.notice)
        awaitNode(hasTestTag("message") and hasText("Signed in", substring = true))
    }

    @Test
    fun aWrongNumberOnThePhoneStopsTheSignIn() = withSeller("wrong@example.com") { _, phone, laptop, _ ->
        val approvals = ApprovalsFlow(phone)
        runBlocking { approvals.register("push-token-2") }
        signInOn(laptop)
        typePassword("wrong@example.com")
        click("Sign in")
        awaitText("Approve on my phone instead")
        click("Approve on my phone instead")
        awaitNode(hasTestTag("push-number"))
        val number = textOf("push-number").toInt()
        val wrong = if (number == 99) 98 else number + 1
        runBlocking {
            val request = approvals.checkForRequests().requests.single()
            approvals.approve(request.challengeId, wrong.toString())
        }
        awaitNode(hasText("This sign-in was not approved on your phone", substring = true))
        onNodeWithText("Start over").assertExists()
    }

    @Test
    fun theApprovalsScreenApprovesARequestFromAnotherDevice() = withSeller("approve@example.com") { _, phone, laptop, _ ->
        val approvals = ApprovalsViewModel(ApprovalsFlow(phone))
        val signIn = SignInFlow(laptop)
        val number = runBlocking {
            ApprovalsFlow(phone).register("push-token-3")
            signIn.submitPassword("approve@example.com", PASSWORD)
            (signIn.approveOnPhone(false).step as SignInStep.PushWait).wait.number
        }
        screen = { ApprovalsScreen(approvals) }
        click("Check for requests")
        awaitText("Is this you signing in to approve@example.com?")
        onNodeWithText("Firefox 128 on Linux").assertExists()
        onNodeWithText("Expires in", substring = true).assertExists()
        onNodeWithTag("number").performTextInput(number.toString())
        nextFrame()
        settle()
        screenshot("approval")
        click("Approve")
        awaitNode(hasTestTag("notice") or hasTestTag("error"))
        awaitText("Approved. The sign-in will continue on the other device.")
        awaitText("No sign-in requests right now. When you sign in on another device, the request shows here.")
        until("the laptop signed in") { signIn.state().step is SignInStep.SignedIn }
    }

    @Test
    fun thisWasntMeStopsTheSignInAndSaysItWasReported() = withSeller("notme@example.com") { _, phone, laptop, _ ->
        val approvals = ApprovalsViewModel(ApprovalsFlow(phone))
        val signIn = SignInFlow(laptop)
        runBlocking {
            ApprovalsFlow(phone).register("push-token-4")
            signIn.submitPassword("notme@example.com", PASSWORD)
            signIn.approveOnPhone(false)
        }
        screen = { ApprovalsScreen(approvals) }
        click("Check for requests")
        awaitText("Is this you signing in to notme@example.com?")
        click("This wasn't me")
        awaitNode(hasTestTag("notice") and hasText("Reported.", substring = true))
        onNodeWithText("Is this you signing in to notme@example.com?").assertDoesNotExist()
        until("the laptop's sign-in stopped") { signIn.state().step is SignInStep.Stopped }
        assertTrue(signIn.state().step is SignInStep.Stopped)
    }
}
