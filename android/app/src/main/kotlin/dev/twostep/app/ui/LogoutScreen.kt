package dev.twostep.app.ui

import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import dev.twostep.app.model.LogoutViewModel

/**
 * Logging out: what it resets (the core's list), the button, then the core's message and
 * [onDone] (back to signing in).
 */
@Composable
fun LogoutScreen(viewModel: LogoutViewModel, onDone: () -> Unit = {}) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    FlowPage(Strings.LOG_OUT) {
        if (!state.done) {
            Text(Strings.LOGOUT_RESETS)
            state.resets.forEach { Text("• $it") }
            Button(onClick = viewModel::logout) { Text(Strings.LOG_OUT) }
        }
        NoticeCard(state.message, tag = "message")
        ErrorText(state.error)
        if (state.done) Button(onClick = onDone) { Text(Strings.SIGN_IN) }
    }
}
