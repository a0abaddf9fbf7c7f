package dev.twostep.app.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.ExtendedFloatingActionButton
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import dev.twostep.app.model.CodesViewModel
import dev.twostep.model.CodeRow
import kotlinx.coroutines.launch

/**
 * Every account's code with its countdown, the next code near the change, the core's note on
 * this phone's clock, entries that can no longer make codes, and a way to add one by link.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun CodesScreen(viewModel: CodesViewModel) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    var adding by rememberSaveable { mutableStateOf(false) }

    Scaffold(
        topBar = { TopAppBar(title = { Text(Strings.APP_NAME) }) },
        floatingActionButton = {
            if (state.codes != null) {
                ExtendedFloatingActionButton(onClick = { adding = true }) { Text(Strings.ADD) }
            }
        },
    ) { padding ->
        Box(Modifier.fillMaxSize().padding(padding)) {
            val codes = state.codes
            if (codes == null) {
                CircularProgressIndicator(Modifier.align(Alignment.Center))
            } else {
                LazyColumn(Modifier.fillMaxSize()) {
                    listOfNotNull(codes.clockNote, state.error).forEach { message ->
                        item(key = message) { NoticeCard(message, tag = "codes-notice", modifier = Modifier.padding(16.dp)) }
                    }
                    items(codes.damaged, key = { "damaged-" + it.entryId }) { damaged ->
                        ListItem(
                            headlineContent = { Text(damaged.message) },
                            trailingContent = {
                                TextButton(onClick = { viewModel.removeDamaged(damaged.entryId) }) { Text(Strings.REMOVE) }
                            },
                        )
                        HorizontalDivider()
                    }
                    items(codes.rows, key = { it.entryId }) { row ->
                        CodeRowItem(row, state.revealed[row.entryId]) { viewModel.reveal(row.entryId) }
                        HorizontalDivider()
                    }
                }
                codes.emptyMessage?.let { Text(it, Modifier.align(Alignment.Center).padding(24.dp)) }
            }
        }
    }

    if (adding) {
        AddUriDialog(onAdd = viewModel::add, onDismiss = { adding = false })
    }
}

/** One account: issuer, the code as the core grouped it, account, and the countdown ring. */
@Composable
private fun CodeRowItem(row: CodeRow, revealed: String?, onReveal: () -> Unit) {
    ListItem(
        overlineContent = { Text(row.issuer) },
        headlineContent = {
            when {
                row.timeBased -> Text(row.grouped, style = MaterialTheme.typography.headlineMedium, fontFamily = FontFamily.Monospace)
                revealed != null -> Text(revealed, style = MaterialTheme.typography.headlineMedium, fontFamily = FontFamily.Monospace)
                // HOTP: showing a code uses it, so it waits for a tap; the core says what to tap.
                else -> TextButton(onClick = onReveal) { Text(row.grouped) }
            }
        },
        supportingContent = {
            Column {
                Text(row.account)
                row.nextGrouped?.let { Text(Strings.next(it), style = MaterialTheme.typography.bodySmall) }
            }
        },
        trailingContent = { if (row.timeBased) Countdown(row) },
    )
}

/** The ring empties as the period runs out; the number is the core's seconds left. */
@Composable
private fun Countdown(row: CodeRow) {
    Box(contentAlignment = Alignment.Center) {
        CircularProgressIndicator(
            progress = { 1f - row.fractionElapsed.toFloat() },
            modifier = Modifier.size(48.dp),
        )
        Text(Strings.secondsLeft(row.secondsLeft.toInt()), style = MaterialTheme.typography.labelSmall)
    }
}

/**
 * Paste an `otpauth://` link; a refused one shows the core's reason under the field.
 *
 * The link carries the account's secret: it is kept with `remember`, never `rememberSaveable`
 * (saved instance state is written to disk and survives the process), and the keyboard is
 * told not to learn or suggest it.
 */
@Composable
private fun AddUriDialog(onAdd: suspend (String) -> String?, onDismiss: () -> Unit) {
    var uri by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    var busy by remember { mutableStateOf(false) }
    val scope = rememberCoroutineScope()

    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(Strings.ADD_TITLE) },
        text = {
            OutlinedTextField(
                value = uri,
                onValueChange = {
                    uri = it
                    error = null
                },
                label = { Text(Strings.URI_LABEL) },
                isError = error != null,
                supportingText = { error?.let { Text(it) } },
                minLines = 2,
                keyboardOptions = SecretKeyboard,
                modifier = Modifier.fillMaxWidth(),
            )
        },
        confirmButton = {
            TextButton(
                enabled = uri.isNotEmpty() && !busy,
                onClick = {
                    busy = true
                    scope.launch {
                        error = onAdd(uri)
                        busy = false
                        if (error == null) onDismiss()
                    }
                },
            ) { Text(Strings.ADD) }
        },
        dismissButton = {
            TextButton(onClick = onDismiss) { Text(Strings.CANCEL) }
        },
    )
}
