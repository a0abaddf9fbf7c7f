/** The view models of the app's flows: each holds one core flow object and shows its state. */
package dev.twostep.app.model

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import dev.twostep.core.ApprovalsFlow
import dev.twostep.core.ApprovalsListener
import dev.twostep.core.LogoutFlow
import dev.twostep.core.MethodsFlow
import dev.twostep.core.MethodsListener
import dev.twostep.core.SecuritySettingsFlow
import dev.twostep.core.SecuritySettingsListener
import dev.twostep.core.SignInFlow
import dev.twostep.core.SignInListener
import dev.twostep.model.ApprovalsState
import dev.twostep.model.BackupOption
import dev.twostep.model.LogoutState
import dev.twostep.model.MethodChoice
import dev.twostep.model.MethodKind
import dev.twostep.model.MethodsState
import dev.twostep.model.Role
import dev.twostep.model.SecuritySettingsState
import dev.twostep.model.SignInState
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch

/**
 * What every flow's view model shares: the flow's state as a [StateFlow], set by the flow's
 * listener (changes that happen on their own) and after each action.
 *
 * After an action the view model reads the flow's current state rather than the action's
 * result: the listener may already have heard a newer one (a push answered while the result
 * was on its way), and the flow's own state is the one truth. No rule lives here.
 */
abstract class FlowViewModel<S>(initial: S, private val current: () -> S) : ViewModel() {
    private val mutable = MutableStateFlow(initial)
    val state: StateFlow<S> = mutable.asStateFlow()

    /** For the listener, called on the core's threads; `StateFlow` is thread-safe. */
    protected fun heard(state: S) {
        mutable.value = state
    }

    protected fun act(action: suspend () -> S) {
        viewModelScope.launch {
            action()
            mutable.value = current()
        }
    }
}

/** Signing in: password, then a code, the backup, or a push approved on the phone. */
class SignInViewModel(private val flow: SignInFlow) : FlowViewModel<SignInState>(flow.state(), flow::state) {
    init {
        flow.setListener(object : SignInListener {
            override fun onState(state: SignInState) = heard(state)
        })
    }

    fun submitPassword(email: String, password: String) = act { flow.submitPassword(email, password) }
    fun submitCode(code: String, rememberDevice: Boolean) = act { flow.submitCode(code, rememberDevice) }
    fun didntReceiveCode() = act { flow.didntReceiveCode() }
    fun approveOnPhone(rememberDevice: Boolean) = act { flow.approveOnPhone(rememberDevice) }
    fun useCodeInstead() = act { flow.useCodeInstead() }
    fun startOver() = act { flow.startOver() }

    override fun onCleared() {
        flow.setListener(null)
        flow.close()
    }
}

/** Enabling two-step verification (or changing methods): choose, prove, confirm. */
class MethodsViewModel(private val flow: MethodsFlow) : FlowViewModel<MethodsState>(flow.state(), flow::state) {
    init {
        flow.setListener(object : MethodsListener {
            override fun onState(state: MethodsState) = heard(state)
        })
    }

    /** The core's backups allowed with [primary] (what the picker lists). */
    fun backupOptions(primary: MethodKind): List<BackupOption> = flow.backupOptions(primary)

    fun choose(primary: MethodChoice, backup: MethodChoice) = act { flow.choose(primary, backup) }
    fun confirm(code: String) = act { flow.confirm(code) }
    fun chooseAgain() = act { flow.chooseAgain() }
    fun proveWith(role: Role) = act { flow.proveWith(role) }
    fun submitProof(code: String) = act { flow.submitProof(code) }

    override fun onCleared() {
        flow.setListener(null)
        flow.close()
    }
}

/** "Is this you signing in?" requests on this phone; watched only while the screen shows. */
class ApprovalsViewModel(private val flow: ApprovalsFlow) :
    FlowViewModel<ApprovalsState>(flow.state(), flow::state) {
    init {
        flow.setListener(object : ApprovalsListener {
            override fun onState(state: ApprovalsState) = heard(state)
        })
    }

    fun startWatching() = flow.startWatching()
    fun stopWatching() = flow.stopWatching()
    fun checkForRequests() = act { flow.checkForRequests() }
    fun approve(challengeId: String, typedNumber: String) = act { flow.approve(challengeId, typedNumber) }
    fun deny(challengeId: String) = act { flow.deny(challengeId) }
    fun notMe(challengeId: String) = act { flow.notMe(challengeId) }

    override fun onCleared() {
        flow.stopWatching()
        flow.setListener(null)
        flow.close()
    }
}

/** Advanced Security Settings: the methods, the devices, "Require codes on all devices". */
class SecuritySettingsViewModel(private val flow: SecuritySettingsFlow) :
    FlowViewModel<SecuritySettingsState>(flow.state(), flow::state) {
    init {
        flow.setListener(object : SecuritySettingsListener {
            override fun onState(state: SecuritySettingsState) = heard(state)
        })
    }

    fun refresh() = act { flow.refresh() }
    fun requireCodesOnAllDevices() = act { flow.requireCodesOnAllDevices() }
    fun removePhone(deviceId: String) = act { flow.removePhone(deviceId) }
    fun revokeTrust(trustId: String) = act { flow.revokeTrust(trustId) }

    override fun onCleared() {
        flow.setListener(null)
        flow.close()
    }
}

/** Logging out: what it resets, then doing it. */
class LogoutViewModel(private val flow: LogoutFlow) : FlowViewModel<LogoutState>(flow.state(), flow::state) {
    fun logout() = act { flow.logout() }

    override fun onCleared() = flow.close()
}
