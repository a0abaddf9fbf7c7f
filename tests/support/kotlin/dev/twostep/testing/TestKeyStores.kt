package dev.twostep.testing

import dev.twostep.core.KeyStore
import dev.twostep.core.KeyStoreFailure
import java.security.SecureRandom
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * A key store written in Kotlin, the way an Android app wraps the vault key with a Keystore
 * key: AES-256-GCM under a key this object holds (here generated in memory; on a phone it
 * would never leave the Keystore). Wrapped form: 12-byte IV || ciphertext || 16-byte tag.
 */
class AesGcmKeyStore(private val platformKey: SecretKey = newAesKey()) : KeyStore {
    /** What Rust handed over to wrap, kept only so tests can prove it never reaches the file. */
    var lastRawKey: ByteArray? = null
        private set
    var lastWrapped: ByteArray? = null
        private set
    var wraps = 0
        private set
    var unwraps = 0
        private set

    override fun wrapKey(key: ByteArray): ByteArray {
        wraps++
        lastRawKey = key.copyOf()
        val iv = ByteArray(IV_BYTES).also { random.nextBytes(it) }
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, platformKey, GCMParameterSpec(TAG_BITS, iv))
        cipher.updateAAD(AAD)
        return (iv + cipher.doFinal(key)).also { lastWrapped = it }
    }

    override fun unwrapKey(wrapped: ByteArray): ByteArray {
        unwraps++
        if (wrapped.size < IV_BYTES + TAG_BITS / 8) throw KeyStoreFailure.WrongKey()
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, platformKey, GCMParameterSpec(TAG_BITS, wrapped, 0, IV_BYTES))
        cipher.updateAAD(AAD)
        return try {
            cipher.doFinal(wrapped, IV_BYTES, wrapped.size - IV_BYTES)
        } catch (e: AEADBadTagException) {
            throw KeyStoreFailure.WrongKey()
        }
    }

    companion object {
        private const val TRANSFORMATION = "AES/GCM/NoPadding"
        private const val IV_BYTES = 12
        private const val TAG_BITS = 128
        private val AAD = "twostep vault key v1".toByteArray()
        private val random = SecureRandom()

        fun newAesKey(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    }
}

/** A platform key store that cannot work right now, as on a locked phone. */
class LockedKeyStore : KeyStore {
    override fun wrapKey(key: ByteArray): ByteArray = throw KeyStoreFailure.Unavailable("device is locked")
    override fun unwrapKey(wrapped: ByteArray): ByteArray = throw KeyStoreFailure.Unavailable("device is locked")
}

/** A platform key store whose key was destroyed for good, as after biometrics were re-enrolled. */
class InvalidatedKeyStore : KeyStore {
    override fun wrapKey(key: ByteArray): ByteArray = throw KeyStoreFailure.Invalidated("biometrics re-enrolled")
    override fun unwrapKey(wrapped: ByteArray): ByteArray = throw KeyStoreFailure.Invalidated("biometrics re-enrolled")
}

/** A key store with a bug: it throws an exception the trait does not declare. */
class BuggyKeyStore : KeyStore {
    override fun wrapKey(key: ByteArray): ByteArray = throw IllegalStateException("keystore bug")
    override fun unwrapKey(wrapped: ByteArray): ByteArray = throw IllegalStateException("keystore bug")
}
