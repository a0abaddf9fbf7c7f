@file:OptIn(ExperimentalCoroutinesApi::class) // currentTime, runCurrent: kotlinx-coroutines-test

package dev.twostep.api

import dev.twostep.core.Vault
import dev.twostep.core.VaultInterface
import dev.twostep.core.codeFromUri
import dev.twostep.core.groupCode
import dev.twostep.testing.AesGcmKeyStore
import dev.twostep.model.EntryCode
import dev.twostep.model.OtpKind
import java.nio.file.Path
import java.util.concurrent.Executors
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.fail
import org.junit.jupiter.api.io.TempDir

/** RFC 6238's SHA-1 seed "12345678901234567890" in base32. */
private const val RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

internal fun totpUri(issuer: String, account: String = "ada") =
    "otpauth://totp/$issuer:$account?secret=$RFC_SECRET&issuer=$issuer"

internal fun hotpUri(issuer: String, account: String = "ada", counter: Long = 0) =
    "otpauth://hotp/$issuer:$account?secret=$RFC_SECRET&issuer=$issuer&counter=$counter"

/** The thread's own name, without the " @coroutine#N" that coroutines' debug mode (on under -ea) adds. */
internal fun threadName(): String = Thread.currentThread().name.substringBefore(" @coroutine#")

/** The vault as the ticker sees it, counting the refresh calls and where they run. */
private class ObservedVault(private val vault: Vault) : VaultInterface by vault {
    var codesCalls = 0
        private set
    var lastThread: String? = null
        private set

    override fun codes(unixSeconds: ULong): List<EntryCode> {
        codesCalls++
        lastThread = threadName()
        return vault.codes(unixSeconds)
    }
}

/** The code screen's refresh: a real vault, real codes, virtual or real seconds. */
class CodesTickerTest {
    @TempDir
    lateinit var dir: Path

    private fun newVault(): Vault = Vault.create(dir.resolve("vault.sqlite").toString(), AesGcmKeyStore())

    /** A ticker on the test's virtual time, whose wall clock starts [offsetMillis] into a second. */
    private fun TestScope.virtualTicker(vault: VaultInterface, offsetMillis: Long = 300) =
        CodesTicker(vault, 1.seconds, StandardTestDispatcher(testScheduler)) {
            1_700_000_000_000L + offsetMillis + testScheduler.currentTime
        }

    @Test
    fun `codes refresh at every whole second of the wall clock with one vault call each`() = runTest {
        newVault().use { vault ->
            vault.addUris(listOf(totpUri("GitHub"), totpUri("GitLab"), hotpUri("Bank")))
            val observed = ObservedVault(vault)

            val at = mutableListOf<Long>()
            virtualTicker(observed, offsetMillis = 300).codes.take(3).collect { at += testScheduler.currentTime }

            assertEquals(listOf(0L, 700L, 1700L), at, "now, then on the next whole seconds")
            assertEquals(3, observed.codesCalls, "one call per refresh, whatever the number of entries")
        }
    }

    @Test
    fun `each refresh shows the entries the vault has then`() = runTest {
        newVault().use { vault ->
            val github = vault.addUri(totpUri("GitHub"))
            val seen = mutableListOf<List<EntryCode>>()

            virtualTicker(vault).codes.take(2).collect { rows ->
                seen += rows
                if (seen.size == 1) vault.addUri(hotpUri("Bank"))
            }

            assertEquals(listOf(github.id), seen[0].map { it.id })
            assertEquals(2, seen[1].size)
            assertNull(seen[1][1].code, "an HOTP row has no code: showing it would use it up")
            assertEquals(OtpKind.Hotp(0uL), vault.list()[1].params.kind, "the ticker never moves a counter")
        }
    }

    @Test
    fun `a row shows the core's current code, grouped, with its countdown`() = runTest {
        newVault().use { vault ->
            val uri = totpUri("GitHub")
            vault.addUri(uri)

            // The virtual clock starts at 1 700 000 000.3 s: 10 s left in the period (… mod 30 = 20).
            val row = virtualTicker(vault).codes.first().single()

            val view = row.code ?: fail("a TOTP row has a code")
            assertEquals(codeFromUri(uri, 1_700_000_000uL), view.code, "the code for the ticker's clock, not the machine's")
            assertEquals(groupCode(view.code), view.grouped)
            assertEquals(10u, view.timing!!.secondsLeft)
        }
    }

    @Test
    fun `a real second later the countdown has moved on`() = runBlocking {
        newVault().use { vault ->
            vault.addUri(totpUri("GitHub"))
            val ticker = CodesTicker(vault)

            val (first, next) = withTimeout(5_000) {
                val first = ticker.codes.first()
                first to ticker.codes.first { it != first }
            }

            val was = first.single().code!!.timing!!
            val now = next.single().code!!.timing!!
            if (was.secondsLeft > 1u) {
                assertEquals(was.secondsLeft - 1u, now.secondsLeft)
            } else {
                assertEquals(30u, now.secondsLeft, "a new period starts")
                assertEquals(was.nextCode, next.single().code!!.code, "the next code has come")
            }
        }
    }

    @Test
    fun `the vault is called on the ticker's dispatcher, not the collector's thread`() = runBlocking {
        val executor = Executors.newSingleThreadExecutor { Thread(it, "vault-io") }
        try {
            newVault().use { vault ->
                val observed = ObservedVault(vault)
                CodesTicker(observed, dispatcher = executor.asCoroutineDispatcher()).codes.first()
                assertEquals("vault-io", observed.lastThread)
            }
        } finally {
            executor.shutdown()
        }
    }

    @Test
    fun `a closed vault ends the flow with the vault's error`() {
        val vault = newVault()
        vault.close()
        assertThrows<IllegalStateException> { runBlocking { CodesTicker(vault).codes.first() } }
    }
}
