package dev.twostep.core

import dev.twostep.testing.AesGcmKeyStore
import dev.twostep.model.*
import java.nio.file.Files
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.fail
import org.junit.jupiter.api.io.TempDir

/** RFC 6238's SHA-1 seed "12345678901234567890" in base32. */
private const val SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

/** RFC 6238's SHA-256 seed "12345678901234567890123456789012" in base32. */
private const val SEED_256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA"

/** A fixed instant for comparing codes: RFC 6238's 1111111109. */
private const val T: ULong = 1111111109uL

/**
 * The folder of real export files other apps publish (`shared/testdata/authenticator-exports`,
 * beside the repository): `-Dtwostep.testdata=…` or `TWOSTEP_TESTDATA` if set, else the first
 * `shared/testdata/authenticator-exports` found walking up from the working directory.
 */
private fun exportsDir(): Path? {
    val given = System.getProperty("twostep.testdata") ?: System.getenv("TWOSTEP_TESTDATA")
    if (given != null) return Path.of(given).takeIf { Files.isDirectory(it) }
    var dir: Path? = Path.of(System.getProperty("user.dir")).toAbsolutePath()
    while (dir != null) {
        val candidate = dir.resolve("shared/testdata/authenticator-exports")
        if (Files.isDirectory(candidate)) return candidate
        dir = dir.parent
    }
    return null
}

/** An export file, or the test is skipped saying which folder is missing. */
private fun exportFile(name: String): ByteArray {
    val dir = exportsDir()
    assumeTrue(dir != null && Files.isRegularFile(dir.resolve(name))) {
        "SKIPPED: real export file $name not found: no shared/testdata/authenticator-exports above " +
            "${System.getProperty("user.dir")} (set -Dtwostep.testdata=… to point at it)"
    }
    return Files.readAllBytes(dir!!.resolve(name))
}

/** Moving in and out: imports from other apps, encrypted backups, plain exports, HOTP resync. */
class MovingTest {
    @TempDir
    lateinit var dir: Path

    private fun newVault(name: String) = Vault.create(dir.resolve(name).toString(), AesGcmKeyStore())

    @Test
    fun `an encrypted Aegis export is previewed, imported once, and a second import finds only duplicates`() {
        val aegis = exportFile("aegis_encrypted.json")
        assertEquals(ImportFormat.AEGIS, detectImportFormat(aegis))

        newVault("vault.sqlite").use { vault ->
            val preview = vault.previewImport(ImportFormat.AEGIS, aegis, "test")
            val toAdd = preview.toAdd()
            assertEquals(7, toAdd.size)
            assertEquals((1u..7u).toList(), toAdd.map { it.number })
            assertEquals(
                listOf("Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE", "Boeing"),
                toAdd.map { it.summary.issuer },
            )
            assertEquals("entry 1", toAdd[0].place)
            val wwe = toAdd.single { it.summary.issuer == "WWE" }.summary
            assertEquals(OtpKind.Hotp(10300uL), wwe.params.kind)
            assertEquals(OtpAlgorithm.SHA512, wwe.params.algorithm)
            assertEquals(8.toUByte(), wwe.params.digits)
            assertTrue(preview.duplicates().isEmpty() && preview.refused().isEmpty())
            assertEquals(0u, vault.len(), "a preview stores nothing")

            assertEquals(7u, vault.applyImport(preview, false))
            assertEquals(7u, vault.len())
            val stored = vault.list().associateBy { it.issuer }
            assertEquals(OtpKind.Hotp(50uL), stored.getValue("Air Canada").params.kind, "the HOTP counter is kept")
            assertEquals(OtpKind.Totp(20u), stored.getValue("SPDX").params.kind)

            val again = vault.previewImport(ImportFormat.AEGIS, aegis, "test")
            assertEquals(0, again.toAdd().size)
            assertEquals(7, again.duplicates().size)
            val ids = vault.list().map { it.id }.toSet()
            again.duplicates().forEach { d ->
                val of = d.of
                assertTrue(of is DuplicateOf.Entry && of.id in ids, "duplicate of a vault entry: $d")
            }
            assertEquals(0u, vault.applyImport(again, false))
            assertEquals(7u, vault.len())
        }
    }

    @Test
    fun `a wrong export password is a typed error and adds nothing`() {
        val aegis = exportFile("aegis_encrypted.json")
        newVault("vault.sqlite").use { vault ->
            val e = assertThrows<TwostepException.WrongFilePassword> {
                vault.previewImport(ImportFormat.AEGIS, aegis, "not the password")
            }
            assertTrue(e.reason.contains("Aegis"), e.reason)
            assertFalse(e.toString().contains("not the password"), "the error quotes the password: $e")

            val missing = assertThrows<TwostepException.InvalidInput> { vault.previewImport(ImportFormat.AEGIS, aegis) }
            assertEquals("password", missing.field)
            assertEquals(0u, vault.len())
        }
    }

    @Test
    fun `a preview made before the vault changed is refused as stale and adds nothing`() {
        newVault("vault.sqlite").use { vault ->
            val file = "otpauth://totp/A:one?secret=$SEED\n".toByteArray()
            val preview = vault.previewImport(ImportFormat.URIS, file)
            vault.addUri("otpauth://totp/B:two?secret=$SEED_256&algorithm=SHA256")
            assertThrows<TwostepException.StalePreview> { vault.applyImport(preview, false) }
            assertEquals(1u, vault.len())
        }
    }

    @Test
    fun `refused entries are listed by number and block the import until the user skips them`() {
        newVault("vault.sqlite").use { vault ->
            val file = "otpauth://totp/A:one?secret=$SEED\notpauth://totp/B:two?digits=6\n".toByteArray()
            val preview = vault.previewImport(ImportFormat.URIS, file)
            val refused = preview.refused().single()
            assertEquals(2u, refused.number)
            assertEquals("line 2", refused.place)
            assertEquals("secret", refused.reason.field)

            val blocked = assertThrows<TwostepException.InvalidInput> { vault.applyImport(preview, false) }
            assertEquals("line 2: secret", blocked.field)
            assertEquals(0u, vault.len())
            assertEquals(1u, vault.applyImport(preview, true))
        }
    }

    @Test
    fun `a backup restored into a new vault gives the same entries, codes and HOTP counter`() {
        val (backup, expected, codes) = newVault("old.sqlite").use { old ->
            old.addUris(
                listOf(
                    "otpauth://totp/GitHub:ada?secret=$SEED&issuer=GitHub",
                    "otpauth://totp/ACME:bob?secret=$SEED_256&algorithm=SHA256&digits=8&period=60",
                    "otpauth://hotp/Bank:ada?secret=$SEED&counter=5",
                ),
            )
            old.code(old.list()[2].id, T) // the counter moves on to 6 before the backup
            val entries = old.list()
            val bytes = old.backup("a long backup password")
            Triple(bytes, entries, entries.map { old.code(it.id, T) })
        }
        val info = backupInfo(backup)
        assertEquals(19u * 1024u, info.kdf.memoryKib, "OWASP's Argon2id cost")
        assertFalse(String(backup, Charsets.ISO_8859_1).contains("GitHub"), "names are encrypted too")

        newVault("new.sqlite").use { new ->
            val report = new.restoreBackup(backup, "a long backup password")
            assertEquals(3, report.added.size)
            assertTrue(report.duplicates.isEmpty())
            val restored = new.list()
            assertEquals(expected.map { Triple(it.issuer, it.account, it.params) }, restored.map { Triple(it.issuer, it.account, it.params) })
            assertEquals(OtpKind.Hotp(6uL), restored[2].params.kind)
            assertEquals(codes, restored.map { new.code(it.id, T) })

            val again = new.restoreBackup(backup, "a long backup password")
            assertEquals(0, again.added.size)
            assertEquals(restored.map { it.id }, again.duplicates.map { it.existingId })
        }
    }

    @Test
    fun `a wrong backup password is a typed error and the target vault is unchanged`() {
        val backup = newVault("old.sqlite").use { old ->
            old.addUri("otpauth://totp/GitHub:ada?secret=$SEED")
            old.backup("the right password")
        }
        newVault("new.sqlite").use { new ->
            new.addUri("otpauth://totp/ACME:bob?secret=$SEED_256&algorithm=SHA256")
            val before = new.list()
            assertThrows<TwostepException.WrongFilePassword> { new.restoreBackup(backup, "the wrong password") }
            assertEquals(before, new.list())

            val damaged = backup.copyOf().also { it[it.size - 1] = (it[it.size - 1].toInt() xor 1).toByte() }
            assertThrows<TwostepException.InvalidInput> { new.restoreBackup(damaged, "the right password") }
            val notABackup = assertThrows<TwostepException.InvalidInput> { backupInfo("hello".toByteArray()) }
            assertEquals("file", notABackup.field)
            assertEquals(before, new.list())
        }
    }

    @Test
    fun `plain exports need the explicit unencrypted choice and list what Google cannot carry`() {
        newVault("vault.sqlite").use { vault ->
            vault.addUris(
                listOf(
                    "otpauth://totp/GitHub:ada?secret=$SEED&issuer=GitHub",
                    "otpauth://steam/Steam:ada?secret=$SEED",
                ),
            )
            val uris = vault.exportUnencryptedUris(UnencryptedExport.I_UNDERSTAND)
            assertEquals(2, uris.size)
            assertEquals("287082", codeFromUri(uris[0], 59uL), "the exported URI makes the same codes")

            val google = vault.exportGoogleMigration(UnencryptedExport.I_UNDERSTAND)
            assertEquals(1, google.links.size)
            assertTrue(google.links[0].startsWith("otpauth-migration://offline?data="))
            assertEquals(listOf(1u), google.exported)
            val skipped = google.skipped.single()
            assertEquals(2u, skipped.number)
            assertTrue(skipped.reason.contains("Steam"), skipped.reason)

            val png = qrPng(google.links[0], 4u)
            assertEquals(listOf(0x89, 'P'.code, 'N'.code, 'G'.code), png.take(4).map { it.toInt() and 0xFF })
        }
    }

    @Test
    fun `an HOTP counter is found again from two consecutive codes`() {
        newVault("vault.sqlite").use { vault ->
            val entry = vault.addUri("otpauth://hotp/Bank:ada?secret=$SEED&counter=0")
            // RFC 4226 Appendix D: counters 5 and 6 give 254676 and 287922.
            val synced = vault.resyncHotp(entry.id, "254676", "287922") ?: fail("the two codes were not found")
            assertEquals(OtpKind.Hotp(7uL), synced.params.kind)
            assertEquals("162583", vault.code(entry.id, 0uL), "the next code is counter 7's")

            assertEquals(null, vault.resyncHotp(entry.id, "755224", "287082"))
            val wrongLength = assertThrows<TwostepException.InvalidInput> { vault.resyncHotp(entry.id, "1", "287922") }
            assertEquals("code1", wrongLength.field)
        }
    }
}
