package dev.twostep.core

import dev.twostep.testing.AesGcmKeyStore
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir

/** A bug in Rust must cost the app one failed call, never the process. */
class PanicTest {
    @Test
    fun `a Rust panic becomes a Kotlin exception and the next call works`() {
        val e = assertThrows<InternalException> { selfTestPanic("deliberate panic from the test") }
        assertTrue(e.message!!.contains("deliberate panic from the test"), e.message)

        assertEquals("123 456", groupCode("123456"))
        assertThrows<InternalException> { selfTestPanic("again") }
    }

    @Test
    fun `an open vault keeps working after a panic elsewhere`(@TempDir dir: Path) {
        Vault.create(dir.resolve("v.sqlite").toString(), AesGcmKeyStore()).use { vault ->
            vault.addUri("otpauth://totp/A:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
            assertThrows<InternalException> { selfTestPanic("boom") }
            assertEquals(1u, vault.len())
        }
    }
}
