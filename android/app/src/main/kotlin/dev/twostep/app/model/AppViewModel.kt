package dev.twostep.app.model

import androidx.lifecycle.ViewModel
import dev.twostep.core.TwostepClient
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * The app's navigation: which screen shows, as a small state machine (no navigation
 * library). The host makes each visit's view model from [client].
 */
class AppViewModel(val client: TwostepClient) : ViewModel() {
    enum class Screen { SIGN_IN, ENABLE, CODES, APPROVALS, SETTINGS, LOGOUT }

    /** A screen, and which visit of it: a new visit starts its flow afresh. */
    data class Visit(val screen: Screen, val number: Int) {
        val key: String get() = "$screen-$number"
    }

    private val current = MutableStateFlow(Visit(Screen.SIGN_IN, 0))
    val visit: StateFlow<Visit> = current.asStateFlow()

    fun open(screen: Screen) {
        current.value = Visit(screen, current.value.number + 1)
    }
}
