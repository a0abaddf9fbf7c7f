package dev.twostep.core

import dev.twostep.model.*
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

private fun sms(number: String, line: PhoneLine = PhoneLine.MOBILE, country: String? = null) =
    MethodChoice.Sms(PhoneChoice(number, line = line, defaultCallingCode = country))

private fun voice(number: String, line: PhoneLine = PhoneLine.MOBILE, country: String? = null) =
    MethodChoice.Voice(PhoneChoice(number, line = line, defaultCallingCode = country))

/**
 * The help page's primary/backup rules, asked from Kotlin: every verdict, every word and every
 * masked number comes from the core; the app only shows them.
 */
class MethodRulesTest {
    private fun refusal(primary: MethodChoice?, backup: MethodChoice?): TwostepException.RuleViolation =
        assertThrows { validateMethods(primary, backup) }

    @Test
    fun `an authenticator app cannot be both primary and backup`() {
        val e = refusal(MethodChoice.AuthenticatorApp, MethodChoice.AuthenticatorApp)
        assertEquals("authenticator_app_as_both", e.rule)
        assertEquals("You cannot use an authenticator app as both your primary and backup method.", e.reason)
    }

    @Test
    fun `the same number written two ways cannot be both`() {
        val e = refusal(sms("+1 206 555 0100"), voice("(206) 555-0100", country = "1"))
        assertEquals("same_number_as_both", e.rule)
    }

    @Test
    fun `a landline takes voice only`() {
        assertEquals("landline_cannot_receive_sms", refusal(MethodChoice.AuthenticatorApp, sms("+1 206 555 0199", PhoneLine.LANDLINE)).rule)
        validateMethods(MethodChoice.AuthenticatorApp, voice("+1 206 555 0199", PhoneLine.LANDLINE))
    }

    @Test
    fun `two methods are needed and the primary is checked first`() {
        assertEquals("missing_primary", refusal(null, MethodChoice.AuthenticatorApp).rule)
        assertEquals("missing_backup", refusal(MethodChoice.AuthenticatorApp, null).rule)
        val e = refusal(sms("360 867 5309"), null)
        assertEquals("invalid_phone_number", e.rule)
        assertFalse(e.reason.contains("867"), "the number is never repeated: ${e.reason}")
    }

    @Test
    fun `a valid pair comes back normalised with masked numbers to show`() {
        val pair = validateMethods(sms("020 7946 0958", country = "44"), MethodChoice.AuthenticatorApp)
        val number = pair.primary.number!!
        assertEquals("+442079460958", number.e164)
        assertEquals("+44 ••• ••• 0958", number.masked)
        assertEquals("Text message to +44 ••• ••• 0958", pair.primary.description)
        assertEquals(PhoneLine.MOBILE, pair.primary.line)
        assertEquals(MethodKind.AUTHENTICATOR_APP, pair.backup.kind)
        assertNull(pair.backup.number)
    }

    @Test
    fun `the backup picker uses the help page's words`() {
        assertEquals(
            listOf(
                "Different voice-enabled phone (landline or mobile)",
                "Different SMS text-enabled phone (mobile)",
                "Authenticator app",
            ),
            backupOptions(MethodKind.SMS).map { it.label },
        )
        assertEquals(
            listOf("SMS text-enabled phone (mobile)", "Voice-enabled phone (landline or mobile)"),
            backupOptions(MethodKind.AUTHENTICATOR_APP).map { it.label },
        )
        assertEquals("Voice-enabled phone (landline or mobile)", methodKindLabel(MethodKind.VOICE))
    }

    @Test
    fun `didn't receive the code moves to the backup, then to account recovery`() {
        val pair = validateMethods(sms("+1 206 555 0100"), voice("+1 206 555 0199", PhoneLine.LANDLINE))
        val first = codePrompt(pair, Role.PRIMARY)
        assertEquals("We sent a code by text message to +1 ••• ••• 0100.", first.instruction)
        assertEquals("Didn't receive the code?", first.linkLabel)

        val backup = didntReceiveCode(pair, Role.PRIMARY)!!
        assertEquals(Role.BACKUP, backup.role)
        assertEquals(PromptLink.ACCOUNT_RECOVERY, backup.link)
        assertNull(didntReceiveCode(pair, Role.BACKUP))
    }

    @Test
    fun `a typed phone number is read into E164 and masked, or refused by the field`() {
        val n = parsePhoneNumber("(206) 555-0100", "1")
        assertEquals("+12065550100", n.e164)
        assertEquals("•••• 0100", n.maskedShort)

        val e = assertThrows<TwostepException.InvalidInput> { parsePhoneNumber("360 867 5309") }
        assertEquals("phone_number", e.field)
        assertFalse(e.reason.contains("867"), "the number is never repeated: ${e.reason}")
    }
}
