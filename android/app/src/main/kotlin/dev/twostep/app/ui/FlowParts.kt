package dev.twostep.app.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp

/** What the flow screens share: a scrolling page with a title, and the core's messages. */

/** A screen's page: its title, then [content], scrolling when it is taller than the window. */
@Composable
internal fun FlowPage(title: String, content: @Composable ColumnScope.() -> Unit) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(24.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Text(title, style = MaterialTheme.typography.headlineSmall)
        content()
    }
}

/** A message from the flow's state that went wrong (its `error`), in the error colour. */
@Composable
internal fun ErrorText(message: String?, tag: String = "error") {
    if (message != null) {
        Text(
            message,
            color = MaterialTheme.colorScheme.error,
            style = MaterialTheme.typography.bodyMedium,
            modifier = Modifier.testTag(tag),
        )
    }
}

/** A message from the flow's state to read first (a notice, a warning), on a tinted card. */
@Composable
internal fun NoticeCard(message: String?, tag: String = "notice", warning: Boolean = false, modifier: Modifier = Modifier) {
    if (message != null) {
        val colors = if (warning) {
            CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer)
        } else {
            CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.secondaryContainer)
        }
        Card(colors = colors, modifier = modifier.fillMaxWidth()) {
            Text(message, Modifier.padding(16.dp).testTag(tag), style = MaterialTheme.typography.bodyMedium)
        }
    }
}

/** A field for a one-time code: a secret, so the keyboard neither suggests nor learns it. */
@Composable
internal fun CodeField(code: String, onChange: (String) -> Unit) {
    OutlinedTextField(
        value = code,
        onValueChange = onChange,
        label = { Text(Strings.CODE) },
        singleLine = true,
        keyboardOptions = SecretKeyboard,
        modifier = Modifier.fillMaxWidth().testTag("code"),
    )
}
