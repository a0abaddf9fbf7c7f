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
    const val REMOVE = "Remove"
    const val VAULT_FAILED = "The codes could not be opened"

    const val EMAIL = "Email"
    const val PASSWORD = "Password"
    const val SIGN_IN = "Sign in"
    const val CODE = "Code"
    const val VERIFY = "Verify"
    const val APPROVE_ON_PHONE = "Approve on my phone instead"
    const val USE_CODE_INSTEAD = "Use a code instead"
    const val START_OVER = "Start over"
    const val ENABLE_2SV = "Enable two-step verification"
    const val PRIMARY = "Primary method"
    const val BACKUP = "Backup method"
    const val PHONE_NUMBER = "Phone number"
    const val LANDLINE = "This is a landline"
    const val CONTINUE = "Continue"
    const val CONFIRM = "Confirm"
    const val CHOOSE_AGAIN = "Choose again"
    const val CHANGE_METHODS = "Change methods"
    const val APPROVALS = "Sign-in requests"
    const val CHECK_FOR_REQUESTS = "Check for requests"
    const val NUMBER = "Number on the sign-in screen"
    const val APPROVE = "Approve"
    const val DENY = "Deny"
    const val NOT_ME = "This wasn't me"
    const val SECURITY_SETTINGS = "Security settings"
    const val THIS_DEVICE = "This device"
    const val TRUSTED_DEVICES = "Trusted devices"
    const val APPROVING_PHONES = "Phones that approve your sign-ins"
    const val SKIPPING_CODES = "Devices that don't ask for codes"
    const val REVOKE = "Revoke"
    const val LOG_OUT = "Log out"
    const val LOGOUT_RESETS = "Logging out resets:"
    const val CODES = "Codes"

    fun secondsLeft(seconds: Int) = "$seconds s"
    fun next(grouped: String) = "Next: $grouped"
    fun thisDevice(detail: String) = "This device · $detail"
}
