package dev.twostep.android

import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import java.io.InputStream
import java.io.OutputStream
import java.security.AlgorithmParameters
import java.security.InvalidKeyException
import java.security.Key
import java.security.KeyStoreSpi
import java.security.Provider
import java.security.SecureRandom
import java.security.Security
import java.security.cert.Certificate
import java.security.spec.AlgorithmParameterSpec
import java.util.Collections
import java.util.Date
import java.util.Enumeration
import java.util.concurrent.ConcurrentHashMap
import javax.crypto.Cipher
import javax.crypto.CipherSpi
import javax.crypto.KeyGeneratorSpi
import javax.crypto.SecretKey
import javax.crypto.spec.SecretKeySpec

/**
 * A stand-in for Android's "AndroidKeyStore" JCA provider, which exists only on a device: the
 * same three services the key store uses (`KeyStore`, `KeyGenerator` "AES" taking a
 * [KeyGenParameterSpec], `Cipher` "AES/GCM/NoPadding"), with keys that, as on a device, never
 * show their bytes (`getEncoded()` is null) and work only with this provider's cipher.
 *
 * What a device does that a test must make happen: [invalidate] turns a key into one Android
 * has permanently invalidated (the screen lock was removed, biometrics enrolled), after which
 * every `Cipher.init` with it throws [KeyPermanentlyInvalidatedException], as on a phone.
 * The real Keystore's behaviour (hardware, StrongBox, authentication) still needs a device:
 * android/twostep/src/androidTest.
 */
object TestAndroidKeyStore {
    private val keys = ConcurrentHashMap<String, HiddenKey>()

    /** Puts the provider first under the name "AndroidKeyStore", once per class loader. */
    fun install() {
        if (Security.getProvider(NAME) == null) Security.insertProviderAt(TestProvider(), 1)
    }

    fun clear() = keys.clear()

    fun aliases(): Set<String> = keys.keys.toSet()

    /** What Android does to a key when the user removes the screen lock. */
    fun invalidate(alias: String) {
        keys.getValue(alias).invalidated = true
    }

    /** A key whose bytes stay inside the provider, like a Keystore key's stay in the TEE. */
    class HiddenKey(val alias: String, internal val material: ByteArray) : SecretKey {
        @Volatile
        internal var invalidated = false

        override fun getAlgorithm() = "AES"

        override fun getFormat(): String? = null

        override fun getEncoded(): ByteArray? = null
    }

    private const val NAME = "AndroidKeyStore"

    private class TestProvider : Provider(NAME, "1.0", "stand-in for Android's Keystore in JVM tests") {
        init {
            put("KeyStore.AndroidKeyStore", Store::class.java.name)
            put("KeyGenerator.AES", Generator::class.java.name)
            put("Cipher.AES/GCM/NoPadding", GcmCipher::class.java.name)
        }
    }

    class Store : KeyStoreSpi() {
        override fun engineGetKey(alias: String, password: CharArray?): Key? = keys[alias]

        override fun engineContainsAlias(alias: String) = keys.containsKey(alias)

        override fun engineDeleteEntry(alias: String) {
            keys.remove(alias)
        }

        override fun engineAliases(): Enumeration<String> = Collections.enumeration(keys.keys.toList())

        override fun engineSize() = keys.size

        override fun engineIsKeyEntry(alias: String) = keys.containsKey(alias)

        override fun engineLoad(stream: InputStream?, password: CharArray?) = Unit

        override fun engineGetCertificateChain(alias: String): Array<Certificate>? = null

        override fun engineGetCertificate(alias: String): Certificate? = null

        override fun engineGetCreationDate(alias: String): Date? = null

        override fun engineSetKeyEntry(alias: String, key: Key, password: CharArray?, chain: Array<out Certificate>?) =
            throw UnsupportedOperationException("keys are made by the KeyGenerator")

        override fun engineSetKeyEntry(alias: String, key: ByteArray, chain: Array<out Certificate>?) =
            throw UnsupportedOperationException("keys are made by the KeyGenerator")

        override fun engineSetCertificateEntry(alias: String, cert: Certificate) = throw UnsupportedOperationException()

        override fun engineIsCertificateEntry(alias: String) = false

        override fun engineGetCertificateAlias(cert: Certificate): String? = null

        override fun engineStore(stream: OutputStream?, password: CharArray?) = throw UnsupportedOperationException()
    }

    class Generator : KeyGeneratorSpi() {
        private var spec: KeyGenParameterSpec? = null

        override fun engineInit(random: SecureRandom?) =
            throw UnsupportedOperationException("the Keystore needs a KeyGenParameterSpec")

        override fun engineInit(params: AlgorithmParameterSpec?, random: SecureRandom?) {
            spec = params as? KeyGenParameterSpec ?: throw UnsupportedOperationException("not a KeyGenParameterSpec: $params")
        }

        override fun engineInit(keysize: Int, random: SecureRandom?) =
            throw UnsupportedOperationException("the Keystore needs a KeyGenParameterSpec")

        override fun engineGenerateKey(): SecretKey {
            val spec = checkNotNull(spec) { "not initialised" }
            val material = ByteArray(spec.keySize / 8).also { SecureRandom().nextBytes(it) }
            return HiddenKey(spec.keystoreAlias, material).also { keys[spec.keystoreAlias] = it }
        }
    }

    /** AES-GCM by the JDK, for this provider's keys only; an invalidated key fails at init as on Android. */
    class GcmCipher : CipherSpi() {
        private val jdk: Cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE")

        private fun unwrap(key: Key?): SecretKeySpec {
            if (key !is HiddenKey) throw InvalidKeyException("not an AndroidKeyStore key")
            if (key.invalidated) throw KeyPermanentlyInvalidatedException()
            return SecretKeySpec(key.material, "AES")
        }

        override fun engineInit(opmode: Int, key: Key?, random: SecureRandom?) = jdk.init(opmode, unwrap(key), random)

        override fun engineInit(opmode: Int, key: Key?, params: AlgorithmParameterSpec?, random: SecureRandom?) =
            jdk.init(opmode, unwrap(key), params, random)

        override fun engineInit(opmode: Int, key: Key?, params: AlgorithmParameters?, random: SecureRandom?) =
            jdk.init(opmode, unwrap(key), params, random)

        override fun engineSetMode(mode: String?) = Unit

        override fun engineSetPadding(padding: String?) = Unit

        override fun engineGetBlockSize() = jdk.blockSize

        override fun engineGetOutputSize(inputLen: Int) = jdk.getOutputSize(inputLen)

        override fun engineGetIV(): ByteArray? = jdk.iv

        override fun engineGetParameters(): AlgorithmParameters? = jdk.parameters

        override fun engineUpdateAAD(src: ByteArray, offset: Int, len: Int) = jdk.updateAAD(src, offset, len)

        override fun engineUpdate(input: ByteArray?, inputOffset: Int, inputLen: Int): ByteArray? =
            jdk.update(input, inputOffset, inputLen)

        override fun engineUpdate(input: ByteArray?, inputOffset: Int, inputLen: Int, output: ByteArray?, outputOffset: Int) =
            jdk.update(input, inputOffset, inputLen, output, outputOffset)

        override fun engineDoFinal(input: ByteArray?, inputOffset: Int, inputLen: Int): ByteArray =
            jdk.doFinal(input, inputOffset, inputLen)

        override fun engineDoFinal(input: ByteArray?, inputOffset: Int, inputLen: Int, output: ByteArray?, outputOffset: Int) =
            jdk.doFinal(input, inputOffset, inputLen, output, outputOffset)
    }
}
