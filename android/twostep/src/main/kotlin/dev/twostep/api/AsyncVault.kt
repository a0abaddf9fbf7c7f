package dev.twostep.api

import dev.twostep.core.KeyStore
import dev.twostep.core.TwostepException
import dev.twostep.core.Vault
import dev.twostep.model.CodeView
import dev.twostep.model.Entry
import dev.twostep.model.EntryCode
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.flatMapLatest
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext

/** One row of a code screen: an entry's names and, for TOTP and Steam, its code right now. */
data class CodeRow(
    val entry: Entry,
    /** Absent for HOTP: its code is shown on request ([AsyncVault.view]), since showing it uses it up. */
    val code: CodeView?,
)

/**
 * A [Vault] for coroutine code, and what a code screen collects.
 *
 * - Every call runs on [io] (`Dispatchers.IO` unless given), so the main thread never waits
 *   on SQLite, the platform key store or Argon2. Errors are the core's [TwostepException]s,
 *   thrown from the suspending call.
 * - [entries] is the entry list as a [StateFlow], read at open and after every change made
 *   through this object.
 * - [rows] joins [entries] with a [CodesTicker]: the names and the ticking codes of a screen.
 *
 * Nothing here decides anything: validation, codes, grouping and countdowns are the core's.
 * It is [AutoCloseable]: `AsyncVault.open(…).use { … }`; closing closes the vault file and
 * wipes the unsealed secrets from memory. Cancel the collection of [rows] and [codes] first.
 */
class AsyncVault private constructor(
    /** The vault underneath, for a call this class does not wrap. Blocking: not on the main thread. */
    val vault: Vault,
    private val io: CoroutineDispatcher,
    private val wallClockMillis: () -> Long,
    initial: List<Entry>,
) : AutoCloseable {
    private val changes = Mutex()
    private val entryList = MutableStateFlow(initial)

    /** Every entry in the user's order, without secrets; updated after each change made here. */
    val entries: StateFlow<List<Entry>> = entryList.asStateFlow()

    /** Every entry's code once per [interval]: see [CodesTicker]. */
    fun codes(interval: Duration = 1.seconds): Flow<List<EntryCode>> =
        CodesTicker(vault, interval, io, wallClockMillis).codes

    /**
     * The rows of a code screen, refreshed once per [interval] and at once after a change
     * made through this object (an added entry gets its code without waiting for the tick).
     */
    @OptIn(ExperimentalCoroutinesApi::class)
    fun rows(interval: Duration = 1.seconds): Flow<List<CodeRow>> =
        entries.flatMapLatest { list ->
            codes(interval).map { codes ->
                val byId = codes.associateBy { it.id }
                list.map { CodeRow(it, byId[it.id]?.code) }
            }
        }

    /** Adds the credential an `otpauth://` URI describes, at the end of the list. */
    suspend fun addUri(uri: String): Entry = change { addUri(uri) }

    /** Adds many URIs, all or none; a refused one names its place (`"line 3: secret"`). */
    suspend fun addUris(uris: List<String>): List<Entry> = change { addUris(uris) }

    /** Imports a text file of `otpauth://` URIs, one per line, all or none. */
    suspend fun importUriList(text: String): List<Entry> = change { importUriList(text) }

    suspend fun rename(id: String, issuer: String, account: String): Entry = change { rename(id, issuer, account) }

    /** Puts the entries in the order of [ids], which must name every entry once. */
    suspend fun reorder(ids: List<String>): Unit = change { reorder(ids) }

    suspend fun remove(id: String): Entry = change { remove(id) }

    /**
     * One entry's code, grouped, with its countdown. For HOTP this uses the code: the
     * counter moves on and is saved before the code is returned (so [entries] is refreshed).
     */
    suspend fun view(id: String, unixSeconds: ULong = nowSeconds()): CodeView = change { view(id, unixSeconds) }

    /** Like [view], the code alone. */
    suspend fun code(id: String, unixSeconds: ULong = nowSeconds()): String = change { code(id, unixSeconds) }

    /** Every entry's code now, once: one call. For a screen that refreshes itself, [rows]. */
    suspend fun codesNow(): List<EntryCode> = withContext(io) { vault.codes(nowSeconds()) }

    /** Closes the vault; calls made afterwards throw `IllegalStateException`. Closing twice is harmless. */
    override fun close() = vault.close()

    /** Runs [block] on [io], then re-reads the entry list, one change at a time. */
    private suspend fun <T> change(block: Vault.() -> T): T = changes.withLock {
        withContext(io) {
            val result = vault.block()
            entryList.value = vault.list()
            result
        }
    }

    private fun nowSeconds(): ULong = (wallClockMillis() / 1000).toULong()

    companion object {
        /**
         * Opens the vault at [path] with [keyStore]. A wrong key (`WrongKey`), a damaged or
         * newer file are reported and leave the file as it was.
         */
        suspend fun open(
            path: String,
            keyStore: KeyStore,
            io: CoroutineDispatcher = Dispatchers.IO,
            wallClockMillis: () -> Long = System::currentTimeMillis,
        ): AsyncVault = wrap(io, wallClockMillis) { Vault.open(path, keyStore) }

        /** Creates a new, empty vault at [path]; an existing file is refused (`AlreadyExists`). */
        suspend fun create(
            path: String,
            keyStore: KeyStore,
            io: CoroutineDispatcher = Dispatchers.IO,
            wallClockMillis: () -> Long = System::currentTimeMillis,
        ): AsyncVault = wrap(io, wallClockMillis) { Vault.create(path, keyStore) }

        /**
         * The app's first-launch convenience, the core's `Vault.openOrCreate`: opens the vault
         * at [path], or creates it when there is none. Any other failure is thrown as it is: a
         * damaged or locked vault is never replaced.
         */
        suspend fun openOrCreate(
            path: String,
            keyStore: KeyStore,
            io: CoroutineDispatcher = Dispatchers.IO,
            wallClockMillis: () -> Long = System::currentTimeMillis,
        ): AsyncVault = wrap(io, wallClockMillis) { Vault.openOrCreate(path, keyStore, null) }

        /** Opens a passphrase vault (desktops, tests); Argon2 runs on [io]. */
        suspend fun openWithPassphrase(
            path: String,
            passphrase: String,
            io: CoroutineDispatcher = Dispatchers.IO,
            wallClockMillis: () -> Long = System::currentTimeMillis,
        ): AsyncVault = wrap(io, wallClockMillis) { Vault.openWithPassphrase(path, passphrase) }

        /** Creates a passphrase vault (desktops, tests); Argon2 runs on [io]. */
        suspend fun createWithPassphrase(
            path: String,
            passphrase: String,
            io: CoroutineDispatcher = Dispatchers.IO,
            wallClockMillis: () -> Long = System::currentTimeMillis,
        ): AsyncVault = wrap(io, wallClockMillis) { Vault.createWithPassphrase(path, passphrase) }

        /**
         * Opens on [io] and reads the first entry list there too. A blocking open cannot be
         * interrupted, so it runs to the end; a vault opened for a caller that was cancelled
         * meanwhile, or whose list fails, is closed rather than left to the garbage collector.
         */
        private suspend fun wrap(io: CoroutineDispatcher, wallClockMillis: () -> Long, open: () -> Vault): AsyncVault {
            val opened = withContext(io + NonCancellable) {
                val vault = open()
                val entries = try {
                    vault.list()
                } catch (e: Throwable) {
                    vault.close()
                    throw e
                }
                AsyncVault(vault, io, wallClockMillis, entries)
            }
            try {
                currentCoroutineContext().ensureActive()
            } catch (cancelled: CancellationException) {
                opened.close()
                throw cancelled
            }
            return opened
        }
    }
}
