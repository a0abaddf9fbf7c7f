package dev.twostep.app.ui

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
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
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.foundation.text.KeyboardOptions
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import dev.twostep.app.model.SignInViewModel
import dev.twostep.model.CodePromptView
import dev.twostep.model.PushWaitView
import dev.twostep.model.SignInStep

/**
 * Signing in: email and password, then the code prompt (or the backup's, or a push approved
 * on the phone), until signed in or stopped. Every message is the flow state's;
 * [onEnable] opens "enable two-step verification" when the login requires it, [onSignedIn]
 * moves on once signed in.
 */
@Composable
fun SignInScreen(viewModel: SignInViewModel, onEnable: () -> Unit = {}, onSignedIn: () -> Unit = {}) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    FlowPage(Strings.SIGN_IN) {
        when (val step = state.step) {
            is SignInStep.Password -> PasswordStep(step.email, viewModel::submitPassword)
            is SignInStep.Code -> CodeStep(step.prompt, viewModel)
            is SignInStep.PushWait -> PushWait(step.wait, viewModel::useCodeInstead)
            is SignInStep.EnrollmentRequired -> {
                Text(step.message, Modifier.testTag("message"))
                Button(onClick = onEnable) { Text(Strings.ENABLE_2SV) }
            }
            is SignInStep.SignedIn -> {
                NoticeCard(step.info.message, tag = "message")
                Button(onClick = onSignedIn) { Text(Strings.CONTINUE) }
            }
            is SignInStep.Stopped -> {
                NoticeCard(step.message, tag = "message", warning = true)
                Button(onClick = viewModel::startOver) { Text(Strings.START_OVER) }
            }
        }
        ErrorText(state.error)
    }
}

/** Email and password; the password is a secret (`remember`, [SecretKeyboard], masked). */
@Composable
private fun PasswordStep(email: String, onSubmit: (String, String) -> Unit) {
    var typedEmail by remember(email) { mutableStateOf(email) }
    var password by remember { mutableStateOf("") }
    OutlinedTextField(
        value = typedEmail,
        onValueChange = { typedEmail = it },
        label = { Text(Strings.EMAIL) },
        singleLine = true,
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Email, autoCorrectEnabled = false),
        modifier = Modifier.fillMaxWidth().testTag("email"),
    )
    OutlinedTextField(
        value = password,
        onValueChange = { password = it },
        label = { Text(Strings.PASSWORD) },
        singleLine = true,
        visualTransformation = PasswordVisualTransformation(),
        keyboardOptions = SecretKeyboard,
        modifier = Modifier.fillMaxWidth().testTag("password"),
    )
    Button(
        onClick = { onSubmit(typedEmail, password) },
        enabled = typedEmail.isNotBlank() && password.isNotEmpty(),
    ) { Text(Strings.SIGN_IN) }
}

/** The code prompt: the core's instruction, link, remember-device label and lost-trust reason. */
@Composable
private fun CodeStep(prompt: CodePromptView, viewModel: SignInViewModel) {
    // A new prompt (the backup's) starts with an empty field.
    var code by remember(prompt.role) { mutableStateOf("") }
    var rememberDevice by remember { mutableStateOf(false) }
    NoticeCard(prompt.trustLostMessage, tag = "trust-lost")
    Text(prompt.instruction, Modifier.testTag("instruction"))
    CodeField(code) { code = it }
    Row(verticalAlignment = Alignment.CenterVertically) {
        Checkbox(
            checked = rememberDevice,
            onCheckedChange = { rememberDevice = it },
            modifier = Modifier.testTag("remember-device"),
        )
        Text(prompt.rememberDeviceLabel)
    }
    Button(onClick = { viewModel.submitCode(code, rememberDevice) }, enabled = code.isNotBlank()) {
        Text(Strings.VERIFY)
    }
    // The primary's link sends the code to the backup; the backup's points to account
    // recovery, which is the website's and has no step in this flow.
    if (prompt.canUseBackup) {
        TextButton(onClick = viewModel::didntReceiveCode) { Text(prompt.link) }
    } else {
        Text(prompt.link, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.primary)
    }
    if (prompt.pushAvailable) {
        OutlinedButton(onClick = { viewModel.approveOnPhone(rememberDevice) }) { Text(Strings.APPROVE_ON_PHONE) }
    }
}

/** Waiting for the phone: the number to type there, big, and the core's instruction. */
@Composable
private fun PushWait(wait: PushWaitView, onUseCode: () -> Unit) {
    Text(
        wait.number.toString(),
        style = MaterialTheme.typography.displayLarge,
        fontWeight = FontWeight.Bold,
        modifier = Modifier.testTag("push-number"),
    )
    Text(wait.instruction, Modifier.testTag("instruction"))
    TextButton(onClick = onUseCode) { Text(Strings.USE_CODE_INSTEAD) }
}
