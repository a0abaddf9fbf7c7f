package dev.twostep.app.ui

import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.ListItem
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import dev.twostep.app.model.SecuritySettingsViewModel

/**
 * Advanced Security Settings: the login, its two methods, this device and the trusted
 * devices, and "Require codes on all devices". Fetched again each time it is shown.
 */
@Composable
fun SecuritySettingsScreen(viewModel: SecuritySettingsViewModel) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    LaunchedEffect(viewModel) { viewModel.refresh() }
    FlowPage(Strings.SECURITY_SETTINGS) {
        NoticeCard(state.notice)
        ErrorText(state.error)
        state.email?.let { ListItem(headlineContent = { Text(it) }, overlineContent = { Text(Strings.EMAIL) }) }
        state.primary?.let { ListItem(headlineContent = { Text(it.label) }, overlineContent = { Text(Strings.PRIMARY) }) }
        state.backup?.let { ListItem(headlineContent = { Text(it.label) }, overlineContent = { Text(Strings.BACKUP) }) }
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
    }
}
