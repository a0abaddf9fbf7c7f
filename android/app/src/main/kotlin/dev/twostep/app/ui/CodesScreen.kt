package dev.twostep.app.ui

import androidx.compose.foundation.layout.Box
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
import androidx.compose.material3.SnackbarHost
import androidx.compose.material3.SnackbarHostState
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
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
import dev.twostep.api.CodeRow
import dev.twostep.app.model.CodesViewModel
import dev.twostep.app.model.CodesViewModel.State
import dev.twostep.model.CodeView
import dev.twostep.model.Timing
import kotlinx.coroutines.launch

/** The one screen: every account's code with its countdown, and a way to add one by link. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun CodesScreen(viewModel: CodesViewModel) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    var adding by rememberSaveable { mutableStateOf(false) }
    val snackbar = remember { SnackbarHostState() }
    LaunchedEffect(viewModel) {
        viewModel.notices.collect { snackbar.showSnackbar(it) }
    }

    Scaffold(
        topBar = { TopAppBar(title = { Text(Strings.APP_NAME) }) },
        snackbarHost = { SnackbarHost(snackbar) },
        floatingActionButton = {
            if (state is State.Ready) {
                ExtendedFloatingActionButton(onClick = { adding = true }) { Text(Strings.ADD) }
            }
        },
    ) { padding ->
        Box(Modifier.fillMaxSize().padding(padding)) {
            when (val current = state) {
                State.Opening -> CircularProgressIndicator(Modifier.align(Alignment.Center))
                is State.Failed -> Text(
                    Strings.VAULT_FAILED + "\n\n" + current.message,
                    Modifier.align(Alignment.Center).padding(24.dp),
                )
                is State.Ready -> if (current.rows.isEmpty()) {
                    Text(Strings.EMPTY, Modifier.align(Alignment.Center).padding(24.dp))
                } else {
                    LazyColumn(Modifier.fillMaxSize()) {
                        items(current.rows, key = { it.entry.id }) { row ->
                            CodeRowItem(row, current.revealed[row.entry.id]) { viewModel.reveal(row.entry.id) }
                            HorizontalDivider()
                        }
                    }
                }
            }
        }
    }

    if (adding) {
        AddUriDialog(onAdd = viewModel::add, onDismiss = { adding = false })
    }
}

/** One account: issuer, the code as the core grouped it, account, and the countdown ring. */
@Composable
private fun CodeRowItem(row: CodeRow, revealed: CodeView?, onReveal: () -> Unit) {
    val view = row.code ?: revealed
    ListItem(
        overlineContent = { Text(row.entry.issuer) },
        headlineContent = {
            if (view != null) {
                Text(view.grouped, style = MaterialTheme.typography.headlineMedium, fontFamily = FontFamily.Monospace)
            } else {
                // HOTP: showing the code uses it, so it waits for a tap.
                TextButton(onClick = onReveal) { Text(Strings.SHOW_CODE) }
            }
        },
        supportingContent = { Text(row.entry.account) },
        trailingContent = { view?.timing?.let { Countdown(it) } },
    )
}

/** The ring empties as the period runs out; the number is the core's seconds left. */
@Composable
private fun Countdown(timing: Timing) {
    Box(contentAlignment = Alignment.Center) {
        CircularProgressIndicator(
            progress = { 1f - timing.fractionElapsed.toFloat() },
            modifier = Modifier.size(48.dp),
        )
        Text(
            Strings.secondsLeft(timing.secondsLeft.toInt()),
            style = MaterialTheme.typography.labelSmall,
        )
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
