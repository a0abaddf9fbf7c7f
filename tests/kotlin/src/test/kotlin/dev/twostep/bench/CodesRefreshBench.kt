package dev.twostep.bench

import dev.twostep.core.Vault
import dev.twostep.core.selfTestNoop
import dev.twostep.core.selfTestTimeCodes
import dev.twostep.testing.AesGcmKeyStore
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * The Kotlin row of `scripts/bench`: a screen of [ROWS] codes refreshed from Kotlin in one
 * `Vault.codes` call, against its two parts measured in the same JVM: a call that does nothing
 * (`selfTestNoop`, the crossing alone) plus the same refresh timed inside Rust
 * (`selfTestTimeCodes`). What is left over is converting the rows into Kotlin records.
 *
 * A benchmark, not a test: tagged `bench`, which the suites' Surefire configuration leaves
 * out (`twostep.excludedGroups`); `scripts/bench` runs it alone on the release library with
 * `-Dgroups=bench -Dtwostep.excludedGroups=`. It prints a `bench-row|…` line and asserts
 * nothing about time. `-Dtwostep.bench.calls=N` sets the calls per batch (default 2000).
 */
@Tag("bench")
class CodesRefreshBench {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `100 visible codes refreshed from Kotlin in one FFI call`() {
        Vault.create(dir.resolve("bench.sqlite").toString(), AesGcmKeyStore()).use { vault ->
            vault.addUris((0 until ROWS).map(::uri))
            // 20 s into a 30 s period: every row shows its code and countdown, no next code yet.
            val at = 1_700_000_000uL
            assertEquals(ROWS, vault.codes(at).count { it.code != null }, "every row has a code")

            val calls = System.getProperty("twostep.bench.calls")?.toIntOrNull() ?: 2_000
            var sink = 0L
            repeat(calls * 3) {
                sink += vault.codes(at).size
                selfTestNoop()
            }
            sink += selfTestTimeCodes(vault, at, calls.toUInt()).toLong()

            // Batches interleaved, so the machine's noise hits the three alike; medians of each.
            val kotlin = mutableListOf<Double>()
            val noop = mutableListOf<Double>()
            val rust = mutableListOf<Double>()
            repeat(BATCHES) {
                kotlin += perCall(calls) { sink += vault.codes(at).size }
                noop += perCall(calls) { selfTestNoop() }
                rust += selfTestTimeCodes(vault, at, calls.toUInt()).toDouble() / calls
            }
            val k = kotlin.median()
            val base = noop.median() + rust.median()
            val ratio = k / base
            println(
                "bench-row|$ROWS codes refreshed from Kotlin, one FFI call|${us(k)}|" +
                    "${us(base)} (no-op call ${us(noop.median())} + Rust refresh ${us(rust.median())})|" +
                    "${"%.2f".format(ratio)}x|<= 2x (no-op FFI call + Rust refresh)|" +
                    (if (ratio <= 2.0) "met" else "NOT met"),
            )
            check(sink != 0L)
        }
    }

    private companion object {
        const val ROWS = 100
        const val BATCHES = 15
        const val BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

        /** A distinct 160-bit secret and name per row. */
        fun uri(i: Int): String {
            val tail = "${BASE32[i / 1024 % 32]}${BASE32[i / 32 % 32]}${BASE32[i % 32]}"
            return "otpauth://totp/Service%20$i:user$i@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQ$tail&issuer=Service%20$i"
        }

        inline fun perCall(calls: Int, body: () -> Unit): Double {
            val start = System.nanoTime()
            repeat(calls) { body() }
            return (System.nanoTime() - start).toDouble() / calls
        }

        fun List<Double>.median(): Double = sorted()[size / 2]

        fun us(nanos: Double) = "%.2f µs".format(nanos / 1000)
    }
}
