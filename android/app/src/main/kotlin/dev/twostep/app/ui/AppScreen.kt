package dev.twostep.app.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dev.twostep.app.model.AppViewModel
import dev.twostep.app.model.AppViewModel.Screen
import dev.twostep.app.model.AppViewModel.Start
import dev.twostep.app.model.ApprovalsViewModel
import dev.twostep.app.model.CodesViewModel
import dev.twostep.app.model.LogoutViewModel
import dev.twostep.app.model.MethodsViewModel
import dev.twostep.app.model.SecuritySettingsViewModel
import dev.twostep.app.model.SignInViewModel
import dev.twostep.core.ApprovalsFlow
import dev.twostep.core.CodesFlow
import dev.twostep.core.LogoutFlow
import dev.twostep.core.MethodsFlow
import dev.twostep.core.SecuritySettingsFlow
import dev.twostep.core.SignInFlow
import dev.twostep.core.TwostepClient

/**
 * The app: a spinner while the vault opens, the core's words if it cannot, then the screen
 * [app] says, with a bar to move between the signed-in screens. Each visit gets its own view
 * model (keyed by the visit), made from the app's client.
 */
@Composable
fun AppScreen(app: AppViewModel) {
    val start by app.start.collectAsStateWithLifecycle()
    when (val current = start) {
        Start.Opening -> Box(Modifier.fillMaxSize()) { CircularProgressIndicator(Modifier.align(Alignment.Center)) }
        is Start.Failed -> Text(Strings.VAULT_FAILED + "\n\n" + current.message, Modifier.padding(24.dp).testTag("vault-failed"))
        is Start.Ready -> Screens(app, current.client)
    }
}

@Composable
private fun Screens(app: AppViewModel, client: TwostepClient) {
    val visit by app.visit.collectAsStateWithLifecycle()
    val screen = visit.screen
    Scaffold(
        bottomBar = {
            if (screen != Screen.SIGN_IN && screen != Screen.ENABLE && screen != Screen.CHANGE_METHODS) {
                NavigationBar {
                    listOf(
                        Screen.CODES to Strings.CODES,
                        Screen.APPROVALS to Strings.APPROVALS,
                        Screen.SETTINGS to Strings.SECURITY_SETTINGS,
                        Screen.LOGOUT to Strings.LOG_OUT,
                    ).forEach { (target, label) ->
                        NavigationBarItem(
                            selected = screen == target,
                            onClick = { app.open(target) },
                            icon = {},
                            label = { Text(label) },
                            modifier = Modifier.testTag("tab-${target.name.lowercase()}"),
                        )
                    }
                }
            }
        },
    ) { padding ->
        Box(Modifier.padding(padding)) {
            when (screen) {
                Screen.SIGN_IN -> SignInScreen(
                    viewModel(key = visit.key) { SignInViewModel(SignInFlow(client)) },
                    onEnable = { app.open(Screen.ENABLE) },
                    onSignedIn = { app.open(Screen.CODES) },
                )
                Screen.ENABLE -> MethodsScreen(
                    viewModel(key = visit.key) { MethodsViewModel(MethodsFlow.enable(client)) },
                    onDone = { app.open(Screen.CODES) },
                )
                Screen.CODES -> CodesScreen(
                    viewModel(key = visit.key) { CodesViewModel(CodesFlow(client), app.io, app.wallClockMillis) },
                )
                Screen.APPROVALS -> ApprovalsScreen(viewModel(key = visit.key) { ApprovalsViewModel(ApprovalsFlow(client)) })
                Screen.SETTINGS -> SecuritySettingsScreen(
                    viewModel(key = visit.key) { SecuritySettingsViewModel(SecuritySettingsFlow(client)) },
                    onChangeMethods = app::changeMethods,
                )
                Screen.CHANGE_METHODS -> {
                    val (primary, backup) = checkNotNull(app.changing) { "no methods to change" }
                    MethodsScreen(
                        viewModel(key = visit.key) { MethodsViewModel(MethodsFlow.change(client, primary, backup)) },
                        title = Strings.CHANGE_METHODS,
                        onDone = { app.open(Screen.SETTINGS) },
                    )
                }
                Screen.LOGOUT -> LogoutScreen(
                    viewModel(key = visit.key) { LogoutViewModel(LogoutFlow(client)) },
                    onDone = { app.open(Screen.SIGN_IN) },
                )
            }
        }
    }
}
