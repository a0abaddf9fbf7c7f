package dev.twostep.android

import dev.twostep.core.KeyStoreFailure
import dev.twostep.core.TwostepException
import dev.twostep.core.Vault
import java.io.File
import org.junit.After
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner

/**
 * The vault's key store as the app uses it, on Android's own classes (Robolectric, SDK 36)
 * with the real library and the android = true bindings; the Keystore itself is the test
 * provider ([TestAndroidKeyStore]), so hardware behaviour still needs a device.
 */
@RunWith(RobolectricTestRunner::class)
class AndroidKeystoreKeyStoreTest {
    private val uri = "otpauth://totp/GitHub:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub"

    @get:Rule
    val temp = TemporaryFolder()

    private val path get() = File(temp.root, "vault.sqlite").path

    @Before
    fun setUp() {
        TestAndroidKeyStore.install()
        TestAndroidKeyStore.clear()
    }

    @After
    fun tearDown() {
        TestAndroidKeyStore.clear()
    }

    @Test
    fun wrapsTheVaultKeyUnderAKeystoreKeyAndUnwrapsIt() {
        val keyStore = AndroidKeystoreKeyStore("dev.twostep.test")
        val dataKey = ByteArray(32) { it.toByte() }

        val wrapped = keyStore.wrapKey(dataKey)

        assertEquals(setOf("dev.twostep.test"), TestAndroidKeyStore.aliases())
        assertEquals("IV || ciphertext || tag", 12 + 32 + 16, wrapped.size)
        assertFalse("the data key does not appear in its wrapped form", wrapped.toList().windowed(32).contains(dataKey.toList()))
        assertArrayEquals(dataKey, keyStore.unwrapKey(wrapped))
        val altered = wrapped.copyOf().also { it[20] = (it[20].toInt() xor 1).toByte() }
        assertThrows(KeyStoreFailure.WrongKey::class.java) { keyStore.unwrapKey(altered) }
        assertThrows(KeyStoreFailure.WrongKey::class.java) { keyStore.unwrapKey(wrapped.copyOf(20)) }
    }

    @Test
    fun aVaultOpenedThroughItSurvivesReopen() {
        Vault.create(path, AndroidKeystoreKeyStore()).use { it.addUri(uri) }

        // A new key store object, as after the app's process was restarted: the key is the Keystore's.
        Vault.open(path, AndroidKeystoreKeyStore()).use { vault ->
            assertEquals(listOf("GitHub"), vault.list().map { it.issuer })
        }
    }

    @Test
    fun withoutItsKeystoreKeyTheVaultIsAWrongKeyAndKept() {
        Vault.create(path, AndroidKeystoreKeyStore()).use { it.addUri(uri) }
        val before = File(path).readBytes()
        // App data restored onto another device: the file came, the Keystore key did not.
        TestAndroidKeyStore.clear()

        assertThrows(TwostepException.WrongKey::class.java) { Vault.open(path, AndroidKeystoreKeyStore()) }
        assertTrue("no key is made when opening", TestAndroidKeyStore.aliases().isEmpty())
        assertArrayEquals(before, File(path).readBytes())
    }

    @Test
    fun aKeyAndroidInvalidatedIsItsOwnFailureNotTryAgain() {
        val keyStore = AndroidKeystoreKeyStore()
        Vault.create(path, keyStore).use { it.addUri(uri) }
        assertFalse(keyStore.isInvalidated())
        val before = File(path).readBytes()

        // The user removed the screen lock: Android invalidates the key for good.
        TestAndroidKeyStore.invalidate(AndroidKeystoreKeyStore.DEFAULT_ALIAS)

        val failure = assertThrows(TwostepException.KeyInvalidated::class.java) { Vault.open(path, keyStore) }
        assertEquals(AndroidKeystoreKeyStore.INVALIDATED, failure.reason)
        assertTrue("the core says what to do: $failure", failure.toString().contains("restore them from a backup"))
        assertTrue("the app can tell it from a locked phone", keyStore.isInvalidated())
        assertTrue("and so can a new object, after a restart", AndroidKeystoreKeyStore().isInvalidated())
        assertArrayEquals("the vault file is kept for a restore", before, File(path).readBytes())
    }

    @Test
    fun aKeyStoreWithoutAKeyIsNotInvalidated() {
        assertFalse(AndroidKeystoreKeyStore("dev.twostep.none").isInvalidated())
    }
}
