package dev.twostep.app.model

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import dev.twostep.core.TwostepClient
import dev.twostep.core.TwostepException
import dev.twostep.model.MethodSummary
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/**
 * The app: opening it (the vault and the client over it, made by [open] on [io]: the Keystore
 * and SQLite block), then which screen shows, as a small state machine (no navigation
 * library). The host makes each visit's view model from the client; [io] and
 * [wallClockMillis] are handed on to the codes screen (tests give their own).
 */
class AppViewModel(
    open: () -> TwostepClient,
    val io: CoroutineDispatcher = Dispatchers.IO,
    val wallClockMillis: () -> Long = System::currentTimeMillis,
) : ViewModel() {
    enum class Screen { SIGN_IN, ENABLE, CODES, APPROVALS, SETTINGS, CHANGE_METHODS, LOGOUT }

    sealed interface Start {
        data object Opening : Start

        data class Ready(val client: TwostepClient) : Start

        /** The vault did not open; [message] is the core's words (it never holds a secret). */
        data class Failed(val message: String) : Start
    }

    /** A screen, and which visit of it: a new visit starts its flow afresh. */
    data class Visit(val screen: Screen, val number: Int) {
        val key: String get() = "$screen-$number"
    }

    private val started = MutableStateFlow<Start>(Start.Opening)
    val start: StateFlow<Start> = started.asStateFlow()

    private val current = MutableStateFlow(Visit(Screen.SIGN_IN, 0))
    val visit: StateFlow<Visit> = current.asStateFlow()

    init {
        viewModelScope.launch {
            started.value = try {
                val client = withContext(io) { open() }
                // A seller still signed in from the last launch goes straight to the codes.
                val signedIn = withContext(io) { client.session() } != null
                if (signedIn) current.value = Visit(Screen.CODES, 0)
                Start.Ready(client)
            } catch (e: TwostepException) {
                Start.Failed(e.toString())
            }
        }
    }

    /** The methods being changed (from the settings), for the [Screen.CHANGE_METHODS] visit. */
    var changing: Pair<MethodSummary, MethodSummary>? = null
        private set

    fun open(screen: Screen) {
        current.value = Visit(screen, current.value.number + 1)
    }

    fun changeMethods(primary: MethodSummary, backup: MethodSummary) {
        changing = primary to backup
        open(Screen.CHANGE_METHODS)
    }
}
