package dev.twostep.testing

import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * The real reference backend, `twostep serve`, as a subprocess: a free loopback port, its
 * database in [dir], the dev outbox on (SMS and voice codes readable through
 * `TwostepClient.devOutbox`). Nothing is mocked.
 *
 * Shared by the JVM suites (tests/support/kotlin is compiled into each).
 *
 * The binary comes from `TWOSTEP_CLI` (set by the suites' scripts), else from beside the
 * library JNA loads. [close] stops the process and waits for it; a JVM shutdown hook is the
 * last resort, so no server outlives the test run even when a test run is interrupted.
 */
class ReferenceBackend private constructor(
    private val process: Process,
    private val shutdownHook: Thread,
    private val log: File,
    /** e.g. `http://127.0.0.1:41234`. */
    val url: String,
) : AutoCloseable {

    /** What the server wrote to stderr, for a failure message. */
    fun log(): String = runCatching { log.readText() }.getOrDefault("(no log)")

    /**
     * Moves the server's clock [seconds] ahead (dev mode's `POST /v1/dev/clock`): a TOTP code
     * just used is refused again within its step, so a test moves on to the next one. Clients
     * follow on their next request (they correct their clock from the server's Date header).
     */
    fun advanceClock(seconds: Long) {
        val connection = java.net.URI("$url/v1/dev/clock").toURL().openConnection() as java.net.HttpURLConnection
        try {
            connection.requestMethod = "POST"
            connection.doOutput = true
            connection.setRequestProperty("Content-Type", "application/json")
            connection.outputStream.use { it.write("""{"advance_seconds": $seconds}""".toByteArray()) }
            check(connection.responseCode in 200..299) { "the dev clock did not move: HTTP ${connection.responseCode}" }
        } finally {
            connection.disconnect()
        }
    }

    override fun close() {
        stop(process)
        runCatching { Runtime.getRuntime().removeShutdownHook(shutdownHook) }
    }

    companion object {
        private const val START_TIMEOUT_SECONDS = 30L
        private const val LISTENING = "listening on "

        /** Starts `twostep serve --addr 127.0.0.1:0 --db <dir>/server.db --dev`. */
        fun start(dir: Path): ReferenceBackend {
            val cli = cliPath()
            val log = dir.resolve("server.log").toFile()
            val process = ProcessBuilder(
                cli.toString(), "serve",
                "--addr", "127.0.0.1:0",
                "--db", dir.resolve("server.db").toString(),
                "--dev",
            ).redirectError(log).start()
            val hook = Thread { process.destroyForcibly() }
            Runtime.getRuntime().addShutdownHook(hook)

            // The first stdout line that says where it listens; the rest is drained so the
            // server can never block on a full pipe.
            val url = CompletableFuture<String>()
            Thread({
                process.inputStream.bufferedReader().useLines { lines ->
                    lines.forEach { line ->
                        if (line.startsWith(LISTENING)) url.complete(line.removePrefix(LISTENING).trim())
                    }
                }
                url.completeExceptionally(IllegalStateException("the server's output ended before it listened"))
            }, "twostep-serve-stdout").apply { isDaemon = true }.start()

            try {
                return ReferenceBackend(process, hook, log, url.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            } catch (e: Exception) {
                stop(process)
                runCatching { Runtime.getRuntime().removeShutdownHook(hook) }
                val why = if (e is TimeoutException) "did not listen within $START_TIMEOUT_SECONDS s" else e.toString()
                val output = runCatching { log.readText() }.getOrDefault("")
                throw IllegalStateException("twostep serve ($cli) $why; its stderr:\n$output", e)
            }
        }

        /** The `twostep` binary: `TWOSTEP_CLI`, else `twostep` beside the library under test. */
        fun cliPath(): Path {
            val candidates = listOfNotNull(
                System.getenv("TWOSTEP_CLI")?.takeIf { it.isNotBlank() }?.let { Path.of(it) },
                System.getProperty("jna.library.path")?.let { Path.of(it, "twostep") },
            )
            return candidates.firstOrNull { Files.isExecutable(it) }
                ?: throw IllegalStateException(
                    "no twostep binary to run the reference backend (tried ${candidates.ifEmpty { "nothing" }}); " +
                        "run the suite through its script (scripts/kotlin-test, scripts/compose-test), or build it with `cargo build -p twostep` and set TWOSTEP_CLI",
                )
        }

        private fun stop(process: Process) {
            process.destroy()
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly()
                process.waitFor(5, TimeUnit.SECONDS)
            }
        }
    }
}
