package dev.twostep.app.ui

/**
 * The words the screens show that are not the core's. Kept here, not in Android resources, so
 * that the screens compile unchanged for the app and for the JVM suite (tests/compose); what
 * the core says (errors, codes, countdowns) comes from the core.
 */
internal object Strings {
    const val APP_NAME = "Twostep"
    const val ADD = "Add"
    const val CANCEL = "Cancel"
    const val ADD_TITLE = "Add an account"
    const val URI_LABEL = "otpauth:// link"
    const val EMPTY = "No accounts yet. Add one with its otpauth:// link."
    const val SHOW_CODE = "Show code"
    const val VAULT_FAILED = "The codes could not be opened"

    fun secondsLeft(seconds: Int) = "$seconds s"
}
