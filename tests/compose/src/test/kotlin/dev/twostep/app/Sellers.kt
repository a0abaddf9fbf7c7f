package dev.twostep.app

import dev.twostep.core.TwostepClient
import dev.twostep.core.Vault
import dev.twostep.model.ClientIdentity
import dev.twostep.model.ClientKind
import dev.twostep.model.MethodChoice
import dev.twostep.model.PhoneChoice
import dev.twostep.model.PhoneLine
import dev.twostep.model.Role
import dev.twostep.testing.AesGcmKeyStore
import dev.twostep.testing.ReferenceBackend
import java.nio.file.Files
import java.nio.file.Path
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertTrue

const val PASSWORD = "correct horse battery"
const val SMS_NUMBER = "+1 206 555 0100"

/** The seller app on a phone. */
val PHONE = ClientIdentity(ClientKind.APP, "4.2.0", "Seller app 4.2.0 on Android 15", "android")

/** A browser on a laptop. */
val LAPTOP = ClientIdentity(ClientKind.BROWSER, "128.0", "Firefox 128 on Linux", "web")

/**
 * Devices and logins on the real reference backend, for the screen tests: each device is a
 * real client with its own vault file (on the system clock, like the server's, so the
 * vault's codes are the ones the server expects).
 */
class Sellers(private val server: ReferenceBackend, private val dir: Path) {
    private var devices = 0

    /** A new installation: its own vault file and device key. */
    fun device(identity: ClientIdentity): TwostepClient {
        val home = Files.createDirectories(dir.resolve("device-${devices++}"))
        val vault = Vault.openOrCreate(home.resolve("vault.sqlite").toString(), AesGcmKeyStore())
        return TwostepClient(server.url, identity, vault)
    }

    /** The newest SMS or voice code the backend "sent" for [email]'s login. */
    fun lastCode(email: String): String = runBlocking {
        outboxReader.devOutbox(email).last().code
    }

    private val outboxReader by lazy { device(LAPTOP) }

    /**
     * A login with two-step verification on, enrolled on [phone] (which stays signed in): the
     * authenticator app as primary (its seed in the phone's vault), SMS as backup. Returns
     * the vault entry that makes its codes. The server's clock then moves one step on, so
     * the enrolment's code is not the one a sign-in needs.
     */
    fun enrolled(phone: TwostepClient, email: String): String = runBlocking {
        phone.createLogin(email, PASSWORD)
        phone.signIn(email, PASSWORD)
        val enrollment = phone.enroll(
            MethodChoice.AuthenticatorApp,
            MethodChoice.Sms(PhoneChoice(number = SMS_NUMBER, line = PhoneLine.MOBILE)),
        )
        val entry = enrollment.authenticatorEntry!!.id
        phone.verifyMethod(Role.PRIMARY, phone.code(entry))
        val status = phone.verifyMethod(Role.BACKUP, lastCode(email))
        assertTrue("two-step verification is on", status.enabled)
        server.advanceClock(30)
        // One request, so the phone's clock follows the server's.
        phone.trustedDeviceCount()
        entry
    }
}
