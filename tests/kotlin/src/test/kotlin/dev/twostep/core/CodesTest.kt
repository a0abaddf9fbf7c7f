package dev.twostep.core

import dev.twostep.model.*
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** Codes and URIs without a vault: what a "scan a QR code" confirmation screen needs. */
class CodesTest {
    private val secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

    @Test
    fun `a scanned URI is described without its secret`() {
        val info = parseUri("otpauth://totp/ACME%20Co:ada@example.com?secret=$secret&issuer=ACME+Co&algorithm=SHA256&digits=8&period=60")
        assertEquals("ACME Co", info.issuer)
        assertEquals("ada@example.com", info.account)
        assertEquals(OtpParams(OtpKind.Totp(60u), OtpAlgorithm.SHA256, 8u), info.params)
        assertFalse(info.shortKey, "a 160-bit key is not short")
        assertFalse(info.toString().contains(secret), "the secret leaked into $info")
    }

    @Test
    fun `an 80-bit key is accepted with a warning flag`() {
        assertTrue(parseUri("otpauth://totp/A:b?secret=GEZDGNBVGY3TQOJQ").shortKey)
    }

    @Test
    fun `a URI gives the same code as its parameters`() {
        assertEquals("94287082", codeFromUri("otpauth://totp/A:b?secret=$secret&digits=8", 59uL))
        assertEquals("287082", codeFromUri("otpauth://hotp/A:b?secret=$secret&counter=1", 0uL))
    }

    @Test
    fun `Steam codes have five characters`() {
        val code = codeFromUri("otpauth://steam/Steam:ada?secret=$secret", 59uL)
        assertEquals(5, code.length)
        assertEquals(code, groupCode(code), "five characters are read in one go")
    }

    @Test
    fun `codes are grouped for reading`() {
        assertEquals("123 456", groupCode("123456"))
        assertEquals("1234 5678", groupCode("12345678"))
        assertEquals("123 4567", groupCode("1234567"))
    }

    @Test
    fun `refused parameters name their field`() {
        val digits = assertThrows<TwostepException.InvalidInput> {
            codeAt(OtpParams(OtpKind.Totp(30u), OtpAlgorithm.SHA1, 9u), ByteArray(20), 0uL)
        }
        assertEquals("digits", digits.field)
        val shortSecret = assertThrows<TwostepException.InvalidInput> {
            codeAt(OtpParams(OtpKind.Totp(30u), OtpAlgorithm.SHA1, 6u), ByteArray(5), 0uL)
        }
        assertEquals("secret", shortSecret.field)
        val scheme = assertThrows<TwostepException.InvalidInput> { parseUri("https://example.com") }
        assertEquals("scheme", scheme.field)
    }
}
