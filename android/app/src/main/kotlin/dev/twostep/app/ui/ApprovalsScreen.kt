package dev.twostep.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import dev.twostep.app.model.ApprovalsViewModel
import dev.twostep.model.ApprovalView

/**
 * The phone's sign-in requests: each with where it comes from and when it expires, a field
 * for the number shown on the signing-in screen, and Approve / Deny / "This wasn't me".
 * Watched (countdown and fetch) only while this screen is shown.
 */
@Composable
fun ApprovalsScreen(viewModel: ApprovalsViewModel) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    DisposableEffect(viewModel) {
        viewModel.startWatching()
        onDispose { viewModel.stopWatching() }
    }
    FlowPage(Strings.APPROVALS) {
        NoticeCard(state.fatigueWarning, tag = "fatigue", warning = true)
        NoticeCard(state.notice)
        ErrorText(state.error)
        state.emptyMessage?.let { Text(it, Modifier.testTag("empty")) }
        state.requests.forEach { request -> RequestCard(request, viewModel) }
        TextButton(onClick = viewModel::checkForRequests) { Text(Strings.CHECK_FOR_REQUESTS) }
    }
}

@OptIn(androidx.compose.foundation.layout.ExperimentalLayoutApi::class)
@Composable
private fun RequestCard(request: ApprovalView, viewModel: ApprovalsViewModel) {
    var number by remember(request.challengeId) { mutableStateOf("") }
    Card(Modifier.fillMaxWidth().testTag("request")) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text(request.title, style = MaterialTheme.typography.titleMedium)
            Text(request.browser)
            Text(request.place)
            Text(request.app)
            Text(request.`when`, style = MaterialTheme.typography.bodySmall)
            Text(request.expiresIn, style = MaterialTheme.typography.bodySmall, modifier = Modifier.testTag("expires"))
            request.groupedNote?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
            Text(request.numberHint, style = MaterialTheme.typography.bodyMedium)
            OutlinedTextField(
                value = number,
                onValueChange = { number = it },
                label = { Text(Strings.NUMBER) },
                singleLine = true,
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword, autoCorrectEnabled = false),
                modifier = Modifier.fillMaxWidth().testTag("number"),
            )
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { viewModel.approve(request.challengeId, number) }, enabled = number.isNotBlank()) {
                    Text(Strings.APPROVE)
                }
                OutlinedButton(onClick = { viewModel.deny(request.challengeId) }) { Text(Strings.DENY) }
                TextButton(onClick = { viewModel.notMe(request.challengeId) }) { Text(Strings.NOT_ME) }
            }
        }
    }
}
