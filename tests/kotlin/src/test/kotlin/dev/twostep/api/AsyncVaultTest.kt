@file:OptIn(ExperimentalCoroutinesApi::class) // currentTime, runCurrent: kotlinx-coroutines-test

package dev.twostep.api

import dev.twostep.core.KeyStore
import dev.twostep.core.TwostepException
import dev.twostep.testing.AesGcmKeyStore
import dev.twostep.model.OtpKind
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.Executors
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir

/** A real key store that notes the thread each call runs on. */
private class ThreadNotingKeyStore(private val inner: KeyStore = AesGcmKeyStore()) : KeyStore {
    val threads = mutableListOf<String>()

    override fun wrapKey(key: ByteArray): ByteArray {
        threads += threadName()
        return inner.wrapKey(key)
    }

    override fun unwrapKey(wrapped: ByteArray): ByteArray {
        threads += threadName()
        return inner.unwrapKey(wrapped)
    }
}

/** The vault as a coroutine app uses it: off the main thread, a list that follows changes. */
class AsyncVaultTest {
    @TempDir
    lateinit var dir: Path

    private val path get() = dir.resolve("vault.sqlite").toString()

    @Test
    fun `the first launch creates the vault and later launches open it`() = runBlocking {
        val keyStore = AesGcmKeyStore()
        AsyncVault.openOrCreate(path, keyStore).use { it.addUri(totpUri("GitHub")) }

        AsyncVault.openOrCreate(path, keyStore).use { vault ->
            assertEquals(listOf("GitHub"), vault.entries.value.map { it.issuer }, "read at open")
        }
        assertEquals(1, keyStore.wraps, "created once")
        assertEquals(1, keyStore.unwraps, "then opened")
    }

    @Test
    fun `a damaged vault is reported and never replaced by a new one`() = runBlocking {
        val garbage = ByteArray(4096) { (it * 31).toByte() }
        Files.write(Path.of(path), garbage)

        assertThrows<TwostepException.VaultDamaged> { runBlocking { AsyncVault.openOrCreate(path, AesGcmKeyStore()) } }

        assertArrayEquals(garbage, Files.readAllBytes(Path.of(path)))
    }

    @Test
    fun `a wrong key is WrongKey and the vault is left as it was`() = runBlocking {
        AsyncVault.create(path, AesGcmKeyStore()).use { it.addUri(totpUri("GitHub")) }
        val before = Files.readAllBytes(Path.of(path))

        assertThrows<TwostepException.WrongKey> { runBlocking { AsyncVault.openOrCreate(path, AesGcmKeyStore()) } }

        assertArrayEquals(before, Files.readAllBytes(Path.of(path)))
    }

    @Test
    fun `opening and key store calls run on the given dispatcher, not the caller's thread`() = runBlocking {
        val executor = Executors.newSingleThreadExecutor { Thread(it, "vault-io") }
        try {
            val io = executor.asCoroutineDispatcher()
            val keyStore = ThreadNotingKeyStore()
            AsyncVault.create(path, keyStore, io).close()
            AsyncVault.open(path, keyStore, io).close()
            assertEquals(listOf("vault-io", "vault-io"), keyStore.threads)
        } finally {
            executor.shutdown()
        }
    }

    @Test
    fun `the entry list follows every change made through it`() = runBlocking {
        AsyncVault.create(path, AesGcmKeyStore()).use { vault ->
            assertTrue(vault.entries.value.isEmpty())

            val github = vault.addUri(totpUri("GitHub"))
            val (gitlab, acme) = vault.addUris(listOf(totpUri("GitLab"), totpUri("ACME")))
            vault.importUriList("# exported\n${hotpUri("Bank")}\n")
            assertEquals(listOf("GitHub", "GitLab", "ACME", "Bank"), vault.entries.value.map { it.issuer })

            vault.rename(github.id, "GitHub Enterprise", "ada@example.com")
            vault.remove(gitlab.id)
            val bank = vault.entries.value.last()
            vault.reorder(listOf(bank.id, acme.id, github.id))

            assertEquals(listOf("Bank", "ACME", "GitHub Enterprise"), vault.entries.value.map { it.issuer })
            assertEquals(vault.vault.list(), vault.entries.value, "the same list the vault has")
        }
    }

    @Test
    fun `a refused URI is the core's InvalidInput and changes nothing`() = runBlocking {
        AsyncVault.create(path, AesGcmKeyStore()).use { vault ->
            val e = assertThrows<TwostepException.InvalidInput> {
                runBlocking { vault.addUris(listOf(totpUri("A"), "otpauth://totp/B:b?digits=6")) }
            }
            assertEquals("line 2: secret", e.field)
            assertTrue(vault.entries.value.isEmpty())
        }
    }

    @Test
    fun `rows join names with codes and an HOTP code is shown only on request`() = runTest {
        val io = StandardTestDispatcher(testScheduler)
        AsyncVault.create(path, AesGcmKeyStore(), io).use { vault ->
            vault.addUri(totpUri("GitHub"))
            val bank = vault.addUri(hotpUri("Bank"))

            val rows = vault.rows().first()
            assertEquals(listOf("GitHub", "Bank"), rows.map { it.entry.issuer })
            assertNotNull(rows[0].code)
            assertNull(rows[1].code)

            // RFC 4226 Appendix D: counter 0.
            val view = vault.view(bank.id)
            assertEquals("755224", view.code)
            assertEquals("755 224", view.grouped)
            assertEquals(OtpKind.Hotp(1uL), vault.entries.value[1].params.kind, "the used counter is saved and shown")
            assertNull(vault.rows().first()[1].code)
        }
    }

    @Test
    fun `an added entry gets its row at once, without waiting for the next tick`() = runTest {
        val io = StandardTestDispatcher(testScheduler)
        AsyncVault.create(path, AesGcmKeyStore(), io).use { vault ->
            vault.addUri(totpUri("GitHub"))
            val seen = mutableListOf<List<CodeRow>>()
            val screen = launch { vault.rows().collect { seen += it } }
            runCurrent()
            assertEquals(1, seen.last().size)

            vault.addUri(totpUri("GitLab"))
            runCurrent()

            assertEquals(listOf("GitHub", "GitLab"), seen.last().map { it.entry.issuer })
            assertTrue(seen.last().all { it.code != null })
            assertEquals(0L, testScheduler.currentTime, "no tick was waited for")
            screen.cancel()
        }
    }

    @Test
    fun `use closes the vault`() = runBlocking {
        val vault = AsyncVault.create(path, AesGcmKeyStore())
        vault.use { it.addUri(totpUri("GitHub")) }

        assertThrows<IllegalStateException> { vault.vault.list() }
        assertFalse(Files.notExists(Path.of(path)), "closing keeps the file")
    }
}
