package dev.twostep.app.model

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import dev.twostep.core.CodesFlow
import dev.twostep.core.TwostepException
import dev.twostep.model.CodesState
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.flatMapLatest
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/**
 * The codes screen: the core's [CodesFlow] asked once a second while the screen is
 * collected (rows, countdowns, next codes, the clock note, damaged entries: all the core's),
 * the HOTP codes the seller asked to see, and the core's words for what went wrong.
 *
 * Calls into the vault block (SQLite), so they run on [io], never on the main thread. The
 * ticks line up with the wall clock's seconds ([wallClockMillis]) so a countdown changes
 * when the second does; the codes themselves are on the core's clock.
 */
@OptIn(ExperimentalCoroutinesApi::class)
class CodesViewModel(
    private val flow: CodesFlow,
    private val io: CoroutineDispatcher = Dispatchers.IO,
    private val wallClockMillis: () -> Long = System::currentTimeMillis,
) : ViewModel() {
    data class State(
        /** Null until the first answer from the vault. */
        val codes: CodesState? = null,
        /** HOTP codes shown on request, by entry id: each one used up a counter value. */
        val revealed: Map<String, String> = emptyMap(),
        /** The core's words for the last action that failed. */
        val error: String? = null,
    )

    /** Bumped after a change, so the rows are asked again at once instead of at the next tick. */
    private val changes = MutableStateFlow(0)
    private val revealed = MutableStateFlow<Map<String, String>>(emptyMap())
    private val error = MutableStateFlow<String?>(null)

    private val ticks = changes.flatMapLatest {
        flow {
            while (true) {
                emit(withContext(io) { flow.codesNow() })
                delay(1_000 - wallClockMillis() % 1_000)
            }
        }
    }

    /** Ticks only while collected (and 5 s more, across a rotation): no calls in the background. */
    val state: StateFlow<State> = combine(ticks, revealed, error) { codes, shown, failed -> State(codes, shown, failed) }
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), State())

    /** Adds an account from its `otpauth://` link; returns the core's reason when it is refused. */
    suspend fun add(link: String): String? = try {
        withContext(io) { flow.addLink(link) }
        changes.update { it + 1 }
        null
    } catch (e: TwostepException) {
        describe(e)
    }

    /** Shows an HOTP entry's next code (and so uses it). */
    fun reveal(entryId: String) = act {
        val code = flow.hotpCode(entryId)
        revealed.update { it + (entryId to code) }
    }

    /** Removes an entry whose stored data was damaged (the core lists those apart). */
    fun removeDamaged(entryId: String) = act { flow.removeDamaged(entryId) }

    private fun act(call: () -> Unit) {
        viewModelScope.launch {
            try {
                withContext(io) { call() }
                error.value = null
            } catch (e: TwostepException) {
                error.value = describe(e)
            }
            changes.update { it + 1 }
        }
    }

    override fun onCleared() = flow.close()

    /** The core's words: a refused input's reason as it is, any other error by its Display text. */
    private fun describe(e: TwostepException): String =
        if (e is TwostepException.InvalidInput) e.reason else e.toString()
}
