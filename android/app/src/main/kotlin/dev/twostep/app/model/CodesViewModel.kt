package dev.twostep.app.model

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import dev.twostep.api.AsyncVault
import dev.twostep.api.CodeRow
import dev.twostep.core.TwostepException
import dev.twostep.model.CodeView
import java.io.File
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.receiveAsFlow
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/**
 * The code screen's state: the vault (opened once, by [open], which the app points at its
 * Android Keystore and the JVM tests at a temporary file), its rows ticking once a second
 * while the screen is visible, and the HOTP codes the user asked to see. Everything a row
 * shows comes from the core; this class holds no rule.
 *
 * Plain `androidx.lifecycle.ViewModel` and coroutines, no `android.*`: the same file compiles
 * for the app and for the Compose suite on the JVM (tests/compose).
 */
class CodesViewModel(open: suspend () -> AsyncVault) : ViewModel() {
    sealed interface State {
        data object Opening : State

        data class Ready(val rows: List<CodeRow>, val revealed: Map<String, CodeView>) : State

        /** The vault did not open; [message] is the core's text (it never holds a secret). */
        data class Failed(val message: String) : State
    }

    private var opened: AsyncVault? = null

    private val vault: Deferred<AsyncVault> = viewModelScope.async { open().also { opened = it } }

    /** HOTP codes shown on request, by entry id: each one used up a counter step. */
    private val revealed = MutableStateFlow<Map<String, CodeView>>(emptyMap())

    private val noticeChannel = Channel<String>(Channel.BUFFERED)

    /** One-off messages for a snackbar: a code that could not be shown. */
    val notices: Flow<String> = noticeChannel.receiveAsFlow()

    /** Ticks only while collected (and 5 s more, across a rotation): no FFI calls in the background. */
    val state: StateFlow<State> = flow { emitAll(vault.await().rows()) }
        // Widened to State, so that catch can emit Failed.
        .combine(revealed) { rows, shown -> State.Ready(rows, shown) as State }
        .catch { emit(State.Failed(describe(it))) }
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), State.Opening)

    /** Adds an account from its `otpauth://` link; returns the core's reason when it is refused. */
    suspend fun add(uri: String): String? = try {
        vault.await().addUri(uri)
        null
    } catch (e: TwostepException) {
        describe(e)
    }

    /** Shows an HOTP entry's next code (and so uses it). */
    fun reveal(id: String) {
        viewModelScope.launch {
            try {
                val view = vault.await().view(id)
                revealed.update { it + (id to view) }
            } catch (e: TwostepException) {
                noticeChannel.send(describe(e))
            }
        }
    }

    /** The collection of [state] has stopped with [viewModelScope]; close the file and wipe the secrets. */
    override fun onCleared() {
        opened?.close()
    }

    /** The core's words for its errors (its Display text, in toString()); anything else by its message. */
    private fun describe(e: Throwable): String =
        if (e is TwostepException) e.toString() else e.message ?: e.javaClass.simpleName
}
