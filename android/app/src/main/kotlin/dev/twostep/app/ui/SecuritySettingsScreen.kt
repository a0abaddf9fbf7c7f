package dev.twostep.app.ui

import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.TextButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import dev.twostep.app.model.SecuritySettingsViewModel
import dev.twostep.model.DeviceRow
import dev.twostep.model.MethodSummary

/**
 * Advanced Security Settings: the login, its two methods, this device and the trusted
 * devices, "Require codes on all devices", and the lists behind them: the phones that
 * approve sign-ins (a lost one removed) and the devices that skip codes (one revoked).
 * Fetched again each time it is shown; [onChangeMethods] opens the change of methods.
 */
@Composable
fun SecuritySettingsScreen(
    viewModel: SecuritySettingsViewModel,
    onChangeMethods: (primary: MethodSummary, backup: MethodSummary) -> Unit = { _, _ -> },
) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    LaunchedEffect(viewModel) { viewModel.refresh() }
    FlowPage(Strings.SECURITY_SETTINGS) {
        NoticeCard(state.notice)
        ErrorText(state.error)
        state.email?.let { ListItem(headlineContent = { Text(it) }, overlineContent = { Text(Strings.EMAIL) }) }
        state.primary?.let { ListItem(headlineContent = { Text(it.label) }, overlineContent = { Text(Strings.PRIMARY) }) }
        state.backup?.let { ListItem(headlineContent = { Text(it.label) }, overlineContent = { Text(Strings.BACKUP) }) }
        val primary = state.primary
        val backup = state.backup
        if (primary != null && backup != null) {
            // Changing them starts with a code from one of them (the core's methods flow).
            OutlinedButton(onClick = { onChangeMethods(primary, backup) }) { Text(Strings.CHANGE_METHODS) }
        }
        HorizontalDivider()
        ListItem(
            overlineContent = { Text(Strings.THIS_DEVICE) },
            headlineContent = { Text(state.thisDevice, Modifier.testTag("this-device")) },
        )
        state.trustedDevicesLabel?.let {
            ListItem(
                overlineContent = { Text(Strings.TRUSTED_DEVICES) },
                headlineContent = { Text(it, Modifier.testTag("trusted-devices")) },
            )
        }
        Button(onClick = viewModel::requireCodesOnAllDevices) { Text(state.requireCodesLabel) }
        DeviceList(Strings.APPROVING_PHONES, "phone", state.approvingPhones, Strings.REMOVE, viewModel::removePhone)
        DeviceList(Strings.SKIPPING_CODES, "trusted", state.trusted, Strings.REVOKE, viewModel::revokeTrust)
    }
}

/**
 * The phones that approve sign-ins, or the devices that skip codes: each row as the core
 * words it, with its one action. Rows are tagged "[tag]-0", "[tag]-1"… in the core's order.
 */
@Composable
private fun DeviceList(title: String, tag: String, rows: List<DeviceRow>, action: String, onAction: (String) -> Unit) {
    if (rows.isEmpty()) return
    HorizontalDivider()
    Text(title, style = MaterialTheme.typography.titleMedium)
    rows.forEachIndexed { index, row ->
        ListItem(
            headlineContent = { Text(row.title) },
            supportingContent = { Text(if (row.thisDevice) Strings.thisDevice(row.detail) else row.detail) },
            trailingContent = { TextButton(onClick = { onAction(row.id) }) { Text(action) } },
            modifier = Modifier.testTag("$tag-$index"),
        )
    }
}
