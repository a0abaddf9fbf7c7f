package dev.twostep.app.ui

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.input.KeyboardType
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import dev.twostep.app.model.MethodsViewModel
import dev.twostep.model.BackupOption
import dev.twostep.model.MethodChoice
import dev.twostep.model.MethodKind
import dev.twostep.model.MethodsStep
import dev.twostep.model.PhoneChoice
import dev.twostep.model.PhoneLine
import dev.twostep.model.Role

/**
 * Enabling two-step verification, or changing methods: proving a current method (when
 * changing), choosing a primary and a backup from the core's options, confirming each with
 * a code, done. A refused pair shows the core's reason at the method it names.
 */
@Composable
fun MethodsScreen(viewModel: MethodsViewModel, title: String = Strings.ENABLE_2SV, onDone: () -> Unit = {}) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    FlowPage(title) {
        when (val step = state.step) {
            is MethodsStep.Prove -> {
                Text(step.message)
                step.current.forEach { option ->
                    OutlinedButton(onClick = { viewModel.proveWith(option.role) }) { Text(option.method.label) }
                }
            }
            is MethodsStep.ProofCode -> CodeEntry(step.instruction, Strings.CONTINUE, viewModel::submitProof)
            is MethodsStep.Choose -> Choose(step, state.error, state.errorRole, viewModel)
            is MethodsStep.Confirm -> {
                CodeEntry(step.instruction, Strings.CONFIRM, viewModel::confirm, key = step.role)
                TextButton(onClick = viewModel::chooseAgain) { Text(Strings.CHOOSE_AGAIN) }
            }
            is MethodsStep.Done -> {
                NoticeCard(step.message, tag = "message")
                Button(onClick = onDone) { Text(Strings.CONTINUE) }
            }
        }
        // An error that names a method is shown at it (in Choose); any other here.
        if (state.step !is MethodsStep.Choose || state.errorRole == null) ErrorText(state.error)
    }
}

@Composable
private fun CodeEntry(instruction: String, action: String, onSubmit: (String) -> Unit, key: Any? = null) {
    var code by remember(key, instruction) { mutableStateOf("") }
    Text(instruction, Modifier.testTag("instruction"))
    CodeField(code) { code = it }
    Button(onClick = { onSubmit(code) }, enabled = code.isNotBlank()) { Text(action) }
}

/** What the seller picked for one role: the kind, and for a phone its number and line. */
private class Pick {
    var kind by mutableStateOf<MethodKind?>(null)
    var number by mutableStateOf("")
    var landline by mutableStateOf(false)

    fun clear() {
        kind = null
        number = ""
        landline = false
    }

    fun choice(): MethodChoice? = when (kind) {
        null -> null
        MethodKind.AUTHENTICATOR_APP -> MethodChoice.AuthenticatorApp
        MethodKind.SMS -> MethodChoice.Sms(PhoneChoice(number = number, line = PhoneLine.MOBILE))
        MethodKind.VOICE ->
            MethodChoice.Voice(PhoneChoice(number = number, line = if (landline) PhoneLine.LANDLINE else PhoneLine.MOBILE))
    }
}

@Composable
private fun Choose(step: MethodsStep.Choose, error: String?, errorRole: Role?, viewModel: MethodsViewModel) {
    val primary = remember { Pick() }
    val backup = remember { Pick() }
    Text(step.message)
    Text(Strings.PRIMARY, style = MaterialTheme.typography.titleMedium)
    // A new primary changes which backups are allowed: the backup is chosen again.
    Picker("primary", step.primaryOptions, primary) { backup.clear() }
    if (errorRole == Role.PRIMARY) ErrorText(error, tag = "error-primary")
    primary.kind?.let { kind ->
        Text(Strings.BACKUP, style = MaterialTheme.typography.titleMedium)
        Picker("backup", viewModel.backupOptions(kind), backup) {}
        if (errorRole == Role.BACKUP) ErrorText(error, tag = "error-backup")
    }
    val primaryChoice = primary.choice()
    val backupChoice = backup.choice()
    Button(
        onClick = { viewModel.choose(primaryChoice!!, backupChoice!!) },
        enabled = primaryChoice != null && backupChoice != null,
    ) { Text(Strings.CONTINUE) }
}

/** The core's options as radio buttons; a phone kind adds its number field (phone keyboard). */
@Composable
private fun Picker(name: String, options: List<BackupOption>, pick: Pick, onChanged: () -> Unit) {
    options.forEach { option ->
        Row(
            Modifier.fillMaxWidth()
                .selectable(selected = pick.kind == option.kind, onClick = {
                    pick.kind = option.kind
                    onChanged()
                })
                .testTag("$name-${option.kind.name.lowercase()}"),
            verticalAlignment = Alignment.CenterVertically,
        ) {
            RadioButton(selected = pick.kind == option.kind, onClick = null)
            Text(option.label)
        }
    }
    if (pick.kind == MethodKind.SMS || pick.kind == MethodKind.VOICE) {
        OutlinedTextField(
            value = pick.number,
            onValueChange = { pick.number = it },
            label = { Text(Strings.PHONE_NUMBER) },
            singleLine = true,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Phone, autoCorrectEnabled = false),
            modifier = Modifier.fillMaxWidth().testTag("$name-number"),
        )
    }
    if (pick.kind == MethodKind.VOICE) {
        Row(verticalAlignment = Alignment.CenterVertically) {
            Checkbox(checked = pick.landline, onCheckedChange = { pick.landline = it })
            Text(Strings.LANDLINE)
        }
    }
}
