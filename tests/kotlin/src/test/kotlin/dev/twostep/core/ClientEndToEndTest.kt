package dev.twostep.core

import dev.twostep.testing.AesGcmKeyStore
import dev.twostep.testing.ReferenceBackend
import dev.twostep.model.*
import java.net.InetAddress
import java.net.ServerSocket
import java.nio.file.Files
import java.nio.file.Path
import java.util.UUID
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.TimeSource
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.fail
import org.junit.jupiter.api.io.TempDir

private const val PASSWORD = "correct horse battery staple"
private const val MOBILE = "+1 206 555 0100"

private val PHONE_APP = ClientIdentity(ClientKind.APP, "6.1", "Seller app 6.1 on Android 15", "android")
private val FIREFOX = ClientIdentity(ClientKind.BROWSER, "Firefox 128", "Firefox 128 on Linux", "web")

/**
 * The seller's story from Kotlin, the way the Android app will run it: `suspend` calls into the
 * real library, which talks HTTP to the real reference backend (`twostep serve`, a subprocess
 * started once for this class). A phone and a browser are each a [TwostepClient] with its own
 * vault; each test signs up its own seller, so tests do not share state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientEndToEndTest {
    private val serverDir: Path = Files.createTempDirectory("twostep-serve-")
    private lateinit var backend: ReferenceBackend

    @BeforeAll
    fun startBackend() {
        backend = ReferenceBackend.start(serverDir)
    }

    @AfterAll
    fun stopBackend() {
        try {
            if (::backend.isInitialized) backend.close()
        } finally {
            serverDir.toFile().deleteRecursively()
        }
    }

    /** One installation: its own vault (sealed with a Kotlin key store) and client. */
    private inner class Device(dir: Path, name: String, val identity: ClientIdentity) : AutoCloseable {
        val vault = Vault.create(dir.resolve("$name.vault").toString(), AesGcmKeyStore())
        val client = TwostepClient(backend.url, identity, vault)

        /** The same installation (same vault, same device id) as a second client. */
        fun relaunched(sourceAddress: String? = null) = TwostepClient(backend.url, identity, vault, sourceAddress)

        override fun close() {
            client.close()
            vault.close()
        }
    }

    private fun newEmail() = "seller-${UUID.randomUUID()}@example.com"

    /** Runs [block] in a coroutine with a fresh phone and browser, closed afterwards. */
    private fun withDevices(dir: Path, block: suspend (phone: Device, browser: Device) -> Unit) =
        Device(dir, "phone", PHONE_APP).use { phone ->
            Device(dir, "browser", FIREFOX).use { browser -> runBlocking { block(phone, browser) } }
        }

    /** The newest SMS code the reference backend "sent" for [email]. */
    private suspend fun lastSmsCode(client: TwostepClient, email: String): String {
        val messages = client.devOutbox(email)
        assertTrue(messages.isNotEmpty(), "an SMS was sent")
        return messages.last().code
    }

    /**
     * Signs up [email] on [phone] and turns two-step verification on: the authenticator app
     * (this app's vault) as primary, an SMS mobile as backup. Returns the vault entry of the
     * seed. The phone is signed in afterwards.
     */
    private suspend fun enrolledSeller(phone: Device, email: String): Entry {
        phone.client.createLogin(email, PASSWORD)
        val first = phone.client.signIn(email, PASSWORD)
        assertTrue(first is SignInOutcome.EnrollmentRequired, "a new login must enable two-step verification: $first")

        val sms = MethodChoice.Sms(PhoneChoice(MOBILE, line = PhoneLine.MOBILE))
        val enrollment = phone.client.enroll(MethodChoice.AuthenticatorApp, sms)
        val entry = enrollment.authenticatorEntry ?: fail("the authenticator app received no seed")
        assertEquals(listOf(Role.PRIMARY, Role.BACKUP), enrollment.pending)

        phone.client.verifyMethod(Role.PRIMARY, phone.client.code(entry.id))
        val status = phone.client.verifyMethod(Role.BACKUP, lastSmsCode(phone.client, email))
        assertTrue(status.enabled, "both methods confirmed: two-step verification is on")
        return entry
    }

    private fun codeRequired(outcome: SignInOutcome): CodeChallenge =
        (outcome as? SignInOutcome.CodeRequired)?.challenge ?: fail("expected a code to be asked, got $outcome")

    /** Signs [client] in with an SMS code to the backup and "Don't ask for codes on this device". */
    private suspend fun trustWithSmsCode(client: TwostepClient, email: String): SignedInInfo {
        val challenge = codeRequired(client.signIn(email, PASSWORD))
        val sent = client.sendCode(challenge.attemptId, Role.BACKUP)
        assertEquals("•••• 0100", sent.method.label)
        return client.verifyCode(challenge.attemptId, lastSmsCode(client, email), rememberDevice = true)
    }

    private suspend inline fun <reified T : Throwable> failsWith(block: suspend () -> Unit): T {
        try {
            block()
        } catch (e: Throwable) {
            if (e is T) return e
            throw AssertionError("expected ${T::class.qualifiedName}, got $e", e)
        }
        throw AssertionError("expected ${T::class.qualifiedName}, but the call succeeded")
    }

    @Test
    fun `enrolling puts the seed in the vault and the next sign-in asks for a code`(@TempDir dir: Path) =
        withDevices(dir) { phone, _ ->
            val email = newEmail()
            val entry = enrolledSeller(phone, email)

            assertEquals(listOf(entry.id), phone.vault.list().map { it.id }, "the app's code screen lists the seed")
            assertNotNull(phone.vault.codesNow().single().code, "and shows its code")

            val challenge = codeRequired(phone.client.signIn(email, PASSWORD))
            assertEquals(MethodKind.AUTHENTICATOR_APP, challenge.primary.kind)
            assertEquals(MethodKind.SMS, challenge.backup.kind)
            assertEquals("•••• 0100", challenge.backup.label, "the backup number is masked")
            assertNull(challenge.trustLost, "this device never had trust: no reason to show")
        }

    @Test
    fun `the backend refuses the authenticator app as both methods with the same rule as the core`(
        @TempDir dir: Path,
    ) = withDevices(dir) { phone, _ ->
        val email = newEmail()
        phone.client.createLogin(email, PASSWORD)
        phone.client.signIn(email, PASSWORD)

        val refused = failsWith<TwostepException.RuleViolation> {
            phone.client.enroll(MethodChoice.AuthenticatorApp, MethodChoice.AuthenticatorApp)
        }
        val local = failsWith<TwostepException.RuleViolation> {
            validateMethods(MethodChoice.AuthenticatorApp, MethodChoice.AuthenticatorApp)
        }
        assertEquals("authenticator_app_as_both", refused.rule)
        assertEquals(local.reason, refused.reason, "the screen shows the same words either way")
        assertTrue(phone.vault.list().isEmpty(), "nothing was added to the vault")
    }

    @Test
    fun `a push approved on the phone with the right number signs the browser in`(@TempDir dir: Path) =
        withDevices(dir) { phone, browser ->
            val email = newEmail()
            enrolledSeller(phone, email)
            val registration = phone.client.registerDevice("push-token-of-the-phone")
            assertEquals(registration, phone.client.deviceRegistration())

            val challenge = codeRequired(browser.client.signIn(email, PASSWORD))
            assertTrue(challenge.pushAvailable, "the sign-in page offers approval on the phone")
            val push = browser.client.startPush(challenge.attemptId, rememberDevice = false)
            assertTrue(push.number in 10u..99u, "a two-digit number to type: ${push.number}")
            assertEquals(AttemptOutcome.Pending, browser.client.pollAttempt(challenge.attemptId))

            val inbox = phone.client.checkForRequests()
            val request = inbox.requests.single()
            assertEquals("Firefox 128 on Linux", request.context.browser)
            assertEquals("127.0.0.1", request.context.ip)
            assertTrue(request.context.location.isNotBlank())
            assertTrue(request.context.app.isNotBlank())
            assertEquals(email, request.email, "the phone says which login is signing in")
            assertTrue(request.secondsLeft > 0u)
            assertEquals(0u, request.collapsed)
            assertEquals(1u, inbox.recent)
            assertEquals(0u, inbox.dropped.total, "every request verified against the pinned key")

            assertEquals(AnswerOutcome.APPROVED, phone.client.answer(request.challengeId, Decision.APPROVE, push.number))

            val signedIn = browser.client.pollAttempt(challenge.attemptId)
            val info = (signedIn as? AttemptOutcome.SignedIn)?.info ?: fail("the browser is not signed in: $signedIn")
            assertEquals(email, info.email)
            assertEquals(email, browser.client.session()?.email)
            assertTrue(phone.client.checkForRequests().requests.isEmpty(), "the answered request is gone")
        }

    @Test
    fun `a wrong number fails the attempt and the browser is denied`(@TempDir dir: Path) =
        withDevices(dir) { phone, browser ->
            val email = newEmail()
            enrolledSeller(phone, email)
            phone.client.registerDevice("push-token-of-the-phone")
            val challenge = codeRequired(browser.client.signIn(email, PASSWORD))
            val push = browser.client.startPush(challenge.attemptId, rememberDevice = false)
            val request = phone.client.checkForRequests().requests.single()

            val wrong = if (push.number == 99u) 98u else push.number + 1u
            failsWith<TwostepException.WrongNumber> { phone.client.answer(request.challengeId, Decision.APPROVE, wrong) }

            assertEquals(AttemptOutcome.Denied, browser.client.pollAttempt(challenge.attemptId))
            assertNull(browser.client.session(), "the browser is not signed in")
            assertTrue(phone.client.checkForRequests().requests.isEmpty(), "the failed request is gone")
        }

    @Test
    fun `trust survives the next sign-in and logout resets it with its reason`(@TempDir dir: Path) =
        withDevices(dir) { phone, _ ->
            val email = newEmail()
            enrolledSeller(phone, email)

            val trusted = trustWithSmsCode(phone.client, email)
            assertTrue(trusted.trusted && phone.client.isTrusted())
            assertEquals(1u, phone.client.trustedDeviceCount())

            val again = phone.client.signIn(email, PASSWORD)
            val info = (again as? SignInOutcome.SignedIn)?.info ?: fail("a trusted device is asked for a code: $again")
            assertTrue(info.withoutCode, "no code was asked")

            val out = phone.client.logout()
            assertTrue(out.trustReset, "logout resets this device's trust")
            assertTrue(out.delivered && out.trustRevoked, "and the backend was told")
            assertEquals(0u, phone.client.pendingLogouts())
            assertFalse(phone.client.isTrusted())
            assertNull(phone.client.session())
            val status = phone.client.trustStatus()
            assertEquals(TrustLoss.LOGGED_OUT, status.lost)

            val afterLogout = codeRequired(phone.client.signIn(email, PASSWORD))
            assertEquals(TrustLoss.LOGGED_OUT, afterLogout.trustLost)
            val shown = afterLogout.trustLostMessage ?: fail("no reason to show")
            assertTrue(shown.contains("logged out"), shown)
            assertEquals(trustLossMessage(TrustLoss.LOGGED_OUT), shown)
            assertEquals(shown, status.lostMessage)
        }

    @Test
    fun `signing in from another network asks for a code again and says why`(@TempDir dir: Path) =
        withDevices(dir) { phone, _ ->
            val email = newEmail()
            enrolledSeller(phone, email)
            trustWithSmsCode(phone.client, email)

            phone.relaunched(sourceAddress = "127.0.0.2").use { elsewhere ->
                val challenge = codeRequired(elsewhere.signIn(email, PASSWORD))
                assertEquals(TrustLoss.NETWORK_CHANGED, challenge.trustLost)
                assertEquals(trustLossMessage(TrustLoss.NETWORK_CHANGED), challenge.trustLostMessage)
            }
            assertFalse(phone.client.isTrusted(), "the vault both clients share no longer holds trust")
        }

    @Test
    fun `each refusal arrives as its own exception`(@TempDir dir: Path) = withDevices(dir) { phone, browser ->
        val email = newEmail()
        failsWith<TwostepException.NotSignedIn> { phone.client.registerDevice("token") }
        enrolledSeller(phone, email)

        failsWith<TwostepException.WrongPassword> { browser.client.signIn(email, "not the password") }

        val challenge = codeRequired(browser.client.signIn(email, PASSWORD))
        browser.client.sendCode(challenge.attemptId, Role.BACKUP)
        val code = lastSmsCode(browser.client, email)
        val wrong = code.dropLast(1) + ((code.last().digitToInt() + 1) % 10)
        failsWith<TwostepException.WrongCode> { browser.client.verifyCode(challenge.attemptId, wrong, false) }

        val bad = failsWith<TwostepException.InvalidInput> { browser.client.verifyCode(challenge.attemptId, "12ab56", false) }
        assertEquals("code", bad.field)
        assertFalse(bad.message.orEmpty().contains("12ab56"), "the code typed is never repeated")

        browser.client.verifyCode(challenge.attemptId, code, false)
        failsWith<TwostepException.UnknownDevice> { browser.client.checkForRequests() }
    }

    @Test
    fun `an unreachable backend is a network error`(@TempDir dir: Path) {
        val closedPort = ServerSocket(0, 1, InetAddress.getLoopbackAddress()).use { it.localPort }
        Vault.create(dir.resolve("v.vault").toString(), AesGcmKeyStore()).use { vault ->
            TwostepClient("http://127.0.0.1:$closedPort", PHONE_APP, vault).use { client ->
                runBlocking {
                    val e = failsWith<TwostepException.Network> { client.signIn("a@example.com", PASSWORD) }
                    assertFalse(e.reason.contains(PASSWORD), "the password is never in an error")
                }
            }
        }
    }

    @Test
    fun `a cancelled call stops waiting at once and the client keeps working`(@TempDir dir: Path) {
        // A backend that accepts connections and never answers: the call would wait for the
        // core's 30-second timeout.
        val silent = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
        Vault.create(dir.resolve("v.vault").toString(), AesGcmKeyStore()).use { vault ->
            TwostepClient("http://127.0.0.1:${silent.localPort}", PHONE_APP, vault).use { client ->
                runBlocking {
                    val started = TimeSource.Monotonic.markNow()
                    failsWith<TimeoutCancellationException> {
                        withTimeout(300.milliseconds) { client.signIn("a@example.com", PASSWORD) }
                    }
                    assertTrue(started.elapsedNow() < 5_000.milliseconds, "cancelled in ${started.elapsedNow()}")

                    silent.close()
                    failsWith<TwostepException.Network> { client.signIn("a@example.com", PASSWORD) }
                    assertNull(client.session())
                }
            }
        }
    }

    @Test
    fun `many calls at once from several threads all complete`(@TempDir dir: Path) = withDevices(dir) { phone, _ ->
        val email = newEmail()
        enrolledSeller(phone, email)
        val counts = coroutineScope {
            (1..24).map { async(Dispatchers.Default) { phone.client.trustedDeviceCount() } }.awaitAll()
        }
        assertEquals(List(24) { 0u }, counts)
        assertNotNull(phone.client.clockOffsetSeconds(), "the backend's Date header was seen")
        assertFalse(phone.client.clockIsOff(30u), "this machine's clock is the backend's")
    }
}
