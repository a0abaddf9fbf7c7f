package dev.twostep.android

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.UserNotAuthenticatedException
import dev.twostep.core.KeyStoreFailure
import java.security.GeneralSecurityException
import java.security.ProviderException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import dev.twostep.core.KeyStore as TwostepKeyStore
import java.security.KeyStore as JavaKeyStore

/**
 * The vault's key store on Android: the vault's data key is wrapped with an AES-256-GCM key
 * that lives in the Android Keystore and never leaves it (in StrongBox when the device has
 * one and [preferStrongBox] is true, otherwise in the TEE).
 *
 * Wrapped form: the 12-byte IV the Keystore chose || ciphertext || 16-byte tag, with a fixed
 * associated data naming the purpose. The Keystore key is made at the first [wrapKey] (vault
 * creation) and only read afterwards; [unwrapKey] never makes one, so a vault whose key is
 * gone reports `WrongKey` instead of being "opened" with a new key.
 *
 * Failures, as the core expects them (it leaves the vault file untouched in every case):
 * - `WrongKey`: the bytes were not wrapped by this Keystore key, or there is no key under
 *   [alias] (app data restored to another device: Keystore keys do not travel).
 * - `Invalidated`: the key was permanently invalidated (the screen lock was removed,
 *   biometrics changed). Not "try again": the vault can never be opened with this key, and
 *   the core says so as `TwostepException.KeyInvalidated`, keeping the file for a restore.
 * - `Unavailable`: the user has to authenticate first, or the Keystore failed; the reason is
 *   one line, never key material.
 *
 * By default no user authentication is required, so codes show without a prompt. With
 * [userAuthenticationValiditySeconds], the key is usable for that many seconds after the
 * user unlocked the device or passed a biometric prompt; the app prompts before opening the
 * vault and retries on `Unavailable`. Calls block (StrongBox takes tens of milliseconds):
 * make them off the main thread, as `dev.twostep.api.AsyncVault` does.
 */
class AndroidKeystoreKeyStore @JvmOverloads constructor(
    private val alias: String = DEFAULT_ALIAS,
    private val preferStrongBox: Boolean = true,
    private val userAuthenticationValiditySeconds: Int? = null,
) : TwostepKeyStore {
    init {
        require(userAuthenticationValiditySeconds == null || userAuthenticationValiditySeconds > 0) {
            "the validity must be positive; leave it null for no user authentication"
        }
    }

    override fun wrapKey(key: ByteArray): ByteArray = keystoreCall {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        // The Keystore chooses the IV (randomized encryption is required for its keys).
        cipher.init(Cipher.ENCRYPT_MODE, existingKey() ?: createKey())
        cipher.updateAAD(AAD)
        val sealed = cipher.doFinal(key)
        val iv = cipher.iv
        check(iv.size == IV_BYTES) { "unexpected GCM IV length ${iv.size}" }
        iv + sealed
    }

    override fun unwrapKey(wrapped: ByteArray): ByteArray = keystoreCall {
        val secretKey = existingKey() ?: throw KeyStoreFailure.WrongKey()
        if (wrapped.size < IV_BYTES + TAG_BITS / 8) throw KeyStoreFailure.WrongKey()
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, secretKey, GCMParameterSpec(TAG_BITS, wrapped, 0, IV_BYTES))
        cipher.updateAAD(AAD)
        try {
            cipher.doFinal(wrapped, IV_BYTES, wrapped.size - IV_BYTES)
        } catch (e: AEADBadTagException) {
            throw KeyStoreFailure.WrongKey()
        }
    }

    /**
     * Whether Android has permanently invalidated this key store's key: the vault it wrapped
     * can no longer be opened on this device (only restored from a backup), and retrying will
     * not help. Asked of the Keystore itself, so it is right after a restart too. False when
     * there is no key, or when it only waits for the user to authenticate.
     */
    fun isInvalidated(): Boolean {
        val key = try {
            existingKey()
        } catch (e: GeneralSecurityException) {
            return false
        } ?: return false
        return try {
            Cipher.getInstance(TRANSFORMATION).init(Cipher.ENCRYPT_MODE, key)
            false
        } catch (e: KeyPermanentlyInvalidatedException) {
            true
        } catch (e: GeneralSecurityException) {
            false
        }
    }

    private fun existingKey(): SecretKey? =
        JavaKeyStore.getInstance(PROVIDER).apply { load(null) }.getKey(alias, null) as? SecretKey

    /** Makes the key once, even when two vaults are created at the same moment. */
    private fun createKey(): SecretKey = synchronized(creation) {
        existingKey()?.let { return it }
        if (preferStrongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            try {
                return generateKey(strongBox = true)
            } catch (noStrongBox: ProviderException) {
                // StrongBoxUnavailableException (API 28) is a ProviderException: no StrongBox
                // on this device, so the key goes to the TEE like on older phones.
            }
        }
        generateKey(strongBox = false)
    }

    private fun generateKey(strongBox: Boolean): SecretKey {
        val spec = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(KEY_BITS)
            .apply {
                if (strongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) setIsStrongBoxBacked(true)
                val seconds = userAuthenticationValiditySeconds
                if (seconds != null) {
                    setUserAuthenticationRequired(true)
                    if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
                        setUserAuthenticationParameters(
                            seconds,
                            KeyProperties.AUTH_BIOMETRIC_STRONG or KeyProperties.AUTH_DEVICE_CREDENTIAL,
                        )
                    } else {
                        @Suppress("DEPRECATION")
                        setUserAuthenticationValidityDurationSeconds(seconds)
                    }
                }
            }
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, PROVIDER).run {
            init(spec)
            generateKey()
        }
    }

    /** Keystore exceptions as the failures the core knows, each with a one-line reason. */
    private inline fun <T> keystoreCall(block: () -> T): T = try {
        block()
    } catch (e: KeyPermanentlyInvalidatedException) {
        throw KeyStoreFailure.Invalidated(INVALIDATED)
    } catch (e: UserNotAuthenticatedException) {
        throw KeyStoreFailure.Unavailable("the user has to authenticate before the vault opens")
    } catch (e: GeneralSecurityException) {
        throw KeyStoreFailure.Unavailable("Android Keystore: ${e.javaClass.simpleName}")
    } catch (e: ProviderException) {
        throw KeyStoreFailure.Unavailable("Android Keystore: ${e.javaClass.simpleName}")
    }

    companion object {
        /** The Keystore alias used unless another is given: one key for the app's vaults. */
        const val DEFAULT_ALIAS = "dev.twostep.vault-key"

        /** The reason an invalidated key crosses with: what happened, and that retrying will not help. */
        const val INVALIDATED =
            "the Keystore key was permanently invalidated (screen lock removed or biometrics changed); " +
                "this vault cannot be opened on this device again, only restored from a backup"

        private const val PROVIDER = "AndroidKeyStore"
        private const val TRANSFORMATION = "AES/GCM/NoPadding"
        private const val KEY_BITS = 256
        private const val IV_BYTES = 12
        private const val TAG_BITS = 128

        /** Binds a wrapped blob to its purpose and format version. */
        private val AAD = "twostep vault key v1".toByteArray(Charsets.US_ASCII)

        private val creation = Any()
    }
}
