/// The words the screens show that are not the core's: titles and button labels. Everything
/// else (instructions, errors, notices, codes, countdowns) is in the state the core returns.
/// The same words as the Android app's (android/…/ui/Strings.kt).
enum Strings {
    static let appName = "Twostep"
    static let add = "Add"
    static let cancel = "Cancel"
    static let addTitle = "Add an account"
    static let uriLabel = "otpauth:// link"
    static let remove = "Remove"
    static let vaultFailed = "The codes could not be opened"

    static let email = "Email"
    static let password = "Password"
    static let signIn = "Sign in"
    static let code = "Code"
    static let verify = "Verify"
    static let approveOnPhone = "Approve on my phone instead"
    static let useCodeInstead = "Use a code instead"
    static let startOver = "Start over"
    static let enable2SV = "Enable two-step verification"
    static let primary = "Primary method"
    static let backup = "Backup method"
    static let phoneNumber = "Phone number"
    static let landline = "This is a landline"
    static let continueLabel = "Continue"
    static let confirm = "Confirm"
    static let chooseAgain = "Choose again"
    static let approvals = "Sign-in requests"
    static let checkForRequests = "Check for requests"
    static let approveHere = "Approve sign-ins on this phone"
    static let number = "Number on the sign-in screen"
    static let approve = "Approve"
    static let deny = "Deny"
    static let notMe = "This wasn't me"
    static let securitySettings = "Security settings"
    static let thisDevice = "This device"
    static let trustedDevices = "Trusted devices"
    static let approvingPhones = "Phones that approve your sign-ins"
    static let skippingCodes = "Devices that don't ask for codes"
    static let revoke = "Revoke"
    static let logOut = "Log out"
    static let logoutResets = "Logging out resets:"
    static let codes = "Codes"

    static func secondsLeft(_ seconds: UInt32) -> String { "\(seconds) s" }
    static func next(_ grouped: String) -> String { "Next: \(grouped)" }
    static func thisDevice(_ detail: String) -> String { "This device · \(detail)" }
}
