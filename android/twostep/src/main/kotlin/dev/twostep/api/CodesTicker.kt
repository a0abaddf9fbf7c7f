package dev.twostep.api

import dev.twostep.core.VaultInterface
import dev.twostep.model.EntryCode
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.conflate
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOn

/**
 * Every entry's code, refreshed once per [interval], for a code screen.
 *
 * Each refresh is one `Vault.codes(at)` call (a few microseconds through JNA, however many
 * entries there are) for the second [wallClockMillis] says it is, made on [dispatcher] so the
 * screen's thread never waits on the vault. The clock the refreshes are aligned to is the
 * clock the codes are computed for, so a virtual clock moves codes and countdowns too.
 * Every value a row shows (the code, its grouping, the seconds left, the next code) is the
 * core's; the ticker only decides when to ask.
 *
 * Refreshes are aligned to whole intervals of the wall clock (…:00.000, …:01.000), the instants
 * at which codes and countdowns change, so a countdown never lags behind its code. HOTP rows
 * carry no code (showing one would use it up) and their counters are never touched here.
 *
 * The flow runs until its collector is cancelled; a failing call (a closed vault, a storage
 * error) ends it with that exception, for the collector's `catch`. Cancel collection before
 * closing the vault.
 *
 * @param wallClockMillis the clock the codes are for and the refreshes aligned to; tests pass a virtual one.
 */
class CodesTicker(
    private val vault: VaultInterface,
    private val interval: Duration = 1.seconds,
    private val dispatcher: CoroutineDispatcher = Dispatchers.IO,
    private val wallClockMillis: () -> Long = System::currentTimeMillis,
) {
    init {
        require(interval.inWholeMilliseconds > 0) { "the interval must be at least a millisecond, was $interval" }
    }

    /** The codes now, then at every interval boundary; a slow collector sees only the newest. */
    val codes: Flow<List<EntryCode>> = flow {
        while (true) {
            currentCoroutineContext().ensureActive()
            emit(vault.codes((wallClockMillis() / 1000).toULong()))
            delay(millisUntilNextTick())
        }
    }
        .flowOn(dispatcher)
        .conflate()

    /** From now to the next whole interval of the wall clock, in `1..interval` milliseconds. */
    private fun millisUntilNextTick(): Long {
        val step = interval.inWholeMilliseconds
        return step - Math.floorMod(wallClockMillis(), step)
    }
}
