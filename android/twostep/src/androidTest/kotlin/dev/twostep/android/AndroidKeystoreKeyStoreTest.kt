package dev.twostep.android

import androidx.test.ext.junit.runners.AndroidJUnit4
import androidx.test.platform.app.InstrumentationRegistry
import dev.twostep.core.KeyStoreFailure
import dev.twostep.core.TwostepException
import dev.twostep.core.Vault
import java.io.File
import java.util.UUID
import org.junit.After
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertThrows
import org.junit.Test
import org.junit.runner.RunWith
import java.security.KeyStore as JavaKeyStore

/** The vault's key in the real Android Keystore: needs a device or an emulator. */
@RunWith(AndroidJUnit4::class)
class AndroidKeystoreKeyStoreTest {
    private val aliases = mutableListOf<String>()
    private val dir = File(InstrumentationRegistry.getInstrumentation().targetContext.cacheDir, "vaults-${UUID.randomUUID()}")
    private val path get() = File(dir.apply { mkdirs() }, "vault.sqlite").path
    private val uri = "otpauth://totp/GitHub:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub"

    private fun newKeyStore(): AndroidKeystoreKeyStore {
        val alias = "dev.twostep.test.${UUID.randomUUID()}"
        aliases += alias
        return AndroidKeystoreKeyStore(alias)
    }

    @After
    fun cleanUp() {
        val keystore = JavaKeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        aliases.forEach { keystore.deleteEntry(it) }
        dir.deleteRecursively()
    }

    @Test
    fun aVaultWrappedInTheKeystoreReopens() {
        val keyStore = newKeyStore()
        Vault.create(path, keyStore).use { it.addUri(uri) }
        Vault.open(path, keyStore).use { assertEquals(1u, it.len()) }
    }

    @Test
    fun anotherKeystoreKeyOrNoKeyIsAWrongKeyAndTheVaultIsKept() {
        Vault.create(path, newKeyStore()).use { it.addUri(uri) }
        val before = File(path).readBytes()

        val other = newKeyStore().also { it.wrapKey(ByteArray(32)) } // makes its key
        assertThrows(TwostepException.WrongKey::class.java) { Vault.open(path, other) }
        assertThrows(TwostepException.WrongKey::class.java) { Vault.open(path, newKeyStore()) }

        assertArrayEquals(before, File(path).readBytes())
    }

    @Test
    fun theWrappedFormIsIvCiphertextTagAndRefusesAnyChange() {
        val keyStore = newKeyStore()
        val dataKey = ByteArray(32) { it.toByte() }
        val wrapped = keyStore.wrapKey(dataKey)

        assertEquals(12 + 32 + 16, wrapped.size)
        assertArrayEquals(dataKey, keyStore.unwrapKey(wrapped))
        val altered = wrapped.copyOf().also { it[20] = (it[20].toInt() xor 1).toByte() }
        assertThrows(KeyStoreFailure.WrongKey::class.java) { keyStore.unwrapKey(altered) }
        assertThrows(KeyStoreFailure.WrongKey::class.java) { keyStore.unwrapKey(wrapped.copyOf(20)) }
    }
}
