package dev.twostep.core

import dev.twostep.testing.AesGcmKeyStore
import dev.twostep.testing.BuggyKeyStore
import dev.twostep.testing.InvalidatedKeyStore
import dev.twostep.testing.LockedKeyStore
import dev.twostep.model.*
import java.nio.file.Files
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.fail
import org.junit.jupiter.api.io.TempDir

/** RFC 6238's SHA-1 seed "12345678901234567890" in base32. */
private const val RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

private fun totpUri(issuer: String, account: String, digits: Int = 6) =
    "otpauth://totp/$issuer:$account?secret=$RFC_SECRET&issuer=$issuer&digits=$digits"

private fun hotpUri(issuer: String, account: String, counter: Long) =
    "otpauth://hotp/$issuer:$account?secret=$RFC_SECRET&counter=$counter"

/** The vault as an app uses it: real files in a temp directory, a key store written in Kotlin. */
class VaultTest {
    @TempDir
    lateinit var dir: Path

    private val path get() = dir.resolve("vault.sqlite").toString()

    private fun <T : Any> present(value: T?): T = value ?: fail("expected a value, got null")

    private fun ByteArray.contains(needle: ByteArray): Boolean =
        (0..size - needle.size).any { i -> needle.indices.all { this[i + it] == needle[it] } }

    @Test
    fun `entries and their order survive closing and reopening with a Kotlin key store`() {
        val keyStore = AesGcmKeyStore()
        val ids = Vault.create(path, keyStore).use { vault ->
            val added = vault.addUris(listOf(totpUri("GitHub", "ada"), totpUri("GitLab", "ada"), totpUri("ACME", "bob")))
            vault.reorder(added.map { it.id }.reversed())
            added.map { it.id }.reversed()
        }

        Vault.open(path, keyStore).use { vault ->
            val entries = vault.list()
            assertEquals(ids, entries.map { it.id })
            assertEquals(listOf("ACME", "GitLab", "GitHub"), entries.map { it.issuer })
            assertEquals(listOf(0u, 1u, 2u), entries.map { it.position })
            assertEquals(3u, vault.len())
            // RFC 6238 Appendix B, 6 digits: 94287082 → 287082 at t=59.
            assertEquals("287082", vault.code(ids[0], 59uL))
        }
        assertEquals(1, keyStore.wraps, "the key is wrapped once, at creation")
        assertEquals(1, keyStore.unwraps, "and unwrapped once per open")
    }

    @Test
    fun `the vault file holds the Kotlin-wrapped key and never the raw one`() {
        val keyStore = AesGcmKeyStore()
        Vault.create(path, keyStore).use { it.addUri(totpUri("GitHub", "ada")) }

        val raw = present(keyStore.lastRawKey)
        assertEquals(32, raw.size, "a 256-bit data key")
        val file = Files.readAllBytes(Path.of(path))
        assertFalse(file.contains(raw), "the raw data key is on disk")
        assertTrue(file.contains(keyStore.lastWrapped!!), "the wrapped key is what is stored")
        assertFalse(file.contains("12345678901234567890".toByteArray()), "a seed is on disk in the clear")
    }

    @Test
    fun `a wrong key is refused as WrongKey and the file is left byte for byte as it was`() {
        Vault.create(path, AesGcmKeyStore()).use { it.addUri(totpUri("GitHub", "ada")) }
        val before = Files.readAllBytes(Path.of(path))

        assertThrows<TwostepException.WrongKey> { Vault.open(path, AesGcmKeyStore()) }

        assertArrayEquals(before, Files.readAllBytes(Path.of(path)))
    }

    @Test
    fun `a locked key store is reported as unavailable, not as a wrong key`() {
        val keyStore = AesGcmKeyStore()
        Vault.create(path, keyStore).close()

        val locked = assertThrows<TwostepException.KeyStoreUnavailable> { Vault.open(path, LockedKeyStore()) }
        assertEquals("device is locked", locked.reason)
        val buggy = assertThrows<TwostepException.KeyStoreUnavailable> { Vault.open(path, BuggyKeyStore()) }
        assertTrue(buggy.reason.contains("keystore bug"), buggy.reason)
        assertFalse(buggy.reason.contains("\n"), "one line, not a stack trace: ${buggy.reason}")

        Vault.open(path, keyStore).use { assertEquals(0u, it.len()) }
    }

    @Test
    fun `a key the platform invalidated for good is its own failure and the vault is kept`() {
        Vault.create(path, AesGcmKeyStore()).close()
        val before = Files.readAllBytes(Path.of(path))

        val invalidated = assertThrows<TwostepException.KeyInvalidated> { Vault.open(path, InvalidatedKeyStore()) }
        assertEquals("biometrics re-enrolled", invalidated.reason)
        assertArrayEquals(before, Files.readAllBytes(Path.of(path)))
    }

    @Test
    fun `an invalid URI is refused with the name of the field and the vault is unchanged`() {
        Vault.create(path, AesGcmKeyStore()).use { vault ->
            val badSecret = "otpauth://totp/GitHub:ada?secret=GEZDGNBV!Y3TQOJQ"
            val e = assertThrows<TwostepException.InvalidInput> { vault.addUri(badSecret) }
            assertEquals("secret", e.field)
            assertFalse(e.toString().contains("GEZDGNBV"), "the error quotes the secret: $e")

            val tooManyDigits = assertThrows<TwostepException.InvalidInput> { vault.addUri(totpUri("A", "b", digits = 9)) }
            assertEquals("digits", tooManyDigits.field)
            assertTrue(vault.isEmpty())
        }
    }

    @Test
    fun `a batch import names the failing line and adds nothing`() {
        Vault.create(path, AesGcmKeyStore()).use { vault ->
            val lines = listOf(totpUri("A", "one"), totpUri("B", "two"), "otpauth://totp/C:three?secret=", totpUri("D", "four"))
            val e = assertThrows<TwostepException.InvalidInput> { vault.addUris(lines) }
            assertEquals("line 3: secret", e.field)
            assertEquals(0u, vault.len())

            val longName = "x".repeat(300)
            val refusedName = assertThrows<TwostepException.InvalidInput> {
                vault.addUris(listOf(totpUri("A", "one"), totpUri(longName, "two")))
            }
            assertEquals("line 2: issuer", refusedName.field)
            assertEquals(0u, vault.len())

            assertEquals(2, vault.addUris(lines.take(2)).size)
        }
    }

    @Test
    fun `an exported URI file is imported whole, skipping blank lines and comments`() {
        Vault.create(path, AesGcmKeyStore()).use { vault ->
            val file = "# exported by another app\n\n${totpUri("GitHub", "ada")}\r\n  \n${hotpUri("Bank", "ada", 3)}\n"
            val added = vault.importUriList(file)
            assertEquals(listOf("GitHub", "Bank"), added.map { it.issuer })

            val broken = "${totpUri("A", "one")}\n# note\notpauth://totp/B:two?digits=6\n"
            val e = assertThrows<TwostepException.InvalidInput> { vault.importUriList(broken) }
            assertEquals("line 3: secret", e.field)
            assertEquals(2u, vault.len(), "a broken file adds nothing")
        }
    }

    @Test
    fun `an HOTP counter moves on with each code and survives reopening`() {
        val keyStore = AesGcmKeyStore()
        val id = Vault.create(path, keyStore).use { vault ->
            val entry = vault.addUri(hotpUri("Bank", "ada", counter = 0))
            // RFC 4226 Appendix D: counters 0 and 1.
            assertEquals("755224", vault.code(entry.id, 0uL))
            assertEquals("287082", vault.code(entry.id, 0uL))
            entry.id
        }
        Vault.open(path, keyStore).use { vault ->
            assertEquals(OtpKind.Hotp(2uL), vault.list().single().params.kind)
            val view = vault.view(id, 0uL)
            assertEquals("359152", view.code)
            assertEquals("359 152", view.grouped)
            assertNull(view.timing, "an HOTP code has no countdown")
        }
        Vault.open(path, keyStore).use { assertEquals("969429", it.code(id, 0uL)) }
    }

    @Test
    fun `one codes call refreshes every row and leaves HOTP counters alone`() {
        Vault.create(path, AesGcmKeyStore()).use { vault ->
            val totp = vault.addUri(totpUri("GitHub", "ada", digits = 8))
            val hotp = vault.addUri(hotpUri("Bank", "ada", counter = 5))

            val rows = vault.codes(59uL)
            assertEquals(listOf(totp.id, hotp.id), rows.map { it.id })
            val view = present(rows[0].code)
            assertEquals("94287082", view.code)
            assertEquals("9428 7082", view.grouped)
            val timing = present(view.timing)
            assertEquals(1u, timing.secondsLeft)
            assertEquals("37359152", timing.nextCode)
            assertNull(rows[1].code, "showing an HOTP code would use it up")

            assertEquals(OtpKind.Hotp(5uL), vault.list()[1].params.kind)
            assertEquals(2, vault.codesNow().size)
        }
    }

    @Test
    fun `renames and removals are kept`() {
        val keyStore = AesGcmKeyStore()
        val kept = Vault.create(path, keyStore).use { vault ->
            val (a, b) = vault.addUris(listOf(totpUri("Old", "ada"), totpUri("Gone", "bob")))
            val renamed = vault.rename(a.id, "New", "ada@example.com")
            assertEquals("New", renamed.issuer)
            assertEquals("Gone", vault.remove(b.id).issuer)
            a.id
        }
        Vault.open(path, keyStore).use { vault ->
            val entry = vault.list().single()
            assertEquals(kept, entry.id)
            assertEquals("New" to "ada@example.com", entry.issuer to entry.account)
        }
    }

    @Test
    fun `a passphrase vault opens with its passphrase and refuses another`() {
        Vault.createWithPassphrase(path, "correct horse battery staple").use { it.addUri(totpUri("GitHub", "ada")) }
        assertThrows<TwostepException.WrongKey> { Vault.openWithPassphrase(path, "wrong") }
        Vault.openWithPassphrase(path, "correct horse battery staple").use { assertEquals(1u, it.len()) }
    }

    @Test
    fun `creating a vault over an existing file is refused and the file kept`() {
        Files.writeString(Path.of(path), "my notes")
        val e = assertThrows<TwostepException.AlreadyExists> { Vault.create(path, AesGcmKeyStore()) }
        assertEquals(path, e.path)
        assertEquals("my notes", Files.readString(Path.of(path)))
    }

    @Test
    fun `a missing vault or entry is NotFound`() {
        assertThrows<TwostepException.NotFound> { Vault.open(path, AesGcmKeyStore()) }
        assertFalse(Files.exists(Path.of(path)), "opening must not create a vault")
        Vault.create(path, AesGcmKeyStore()).use { vault ->
            val e = assertThrows<TwostepException.NotFound> { vault.code("no-such-id", 59uL) }
            assertTrue(e.what.contains("no-such-id"), e.what)
        }
    }

    @Test
    fun `a damaged vault file is reported and kept`() {
        val garbage = ByteArray(4096) { (it * 31).toByte() }
        Files.write(Path.of(path), garbage)
        assertThrows<TwostepException.VaultDamaged> { Vault.open(path, AesGcmKeyStore()) }
        assertArrayEquals(garbage, Files.readAllBytes(Path.of(path)))
    }

    @Test
    fun `a closed vault refuses calls cleanly and its file can be opened again`() {
        val keyStore = AesGcmKeyStore()
        val vault = Vault.create(path, keyStore)
        vault.use { it.addUri(totpUri("GitHub", "ada")) }

        assertThrows<IllegalStateException> { vault.list() }
        vault.close() // closing twice is harmless

        Vault.open(path, keyStore).use { assertEquals(1u, it.len()) }
    }
}
