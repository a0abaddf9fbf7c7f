import Foundation
import Twostep
import TwostepModels
import XCTest

/// The seller's stories (signing in, approvals, settings, logout, enabling and changing the
/// methods) at the view-model level, through the real library and a real `twostep serve` on
/// loopback: what each screen would show, step by step. The same stories as the Android screen
/// tests (tests/compose) and the Rust flow tests (tests/e2e/tests/flows.rs). One server for the
/// class; each story has its own login and devices.
final class SellerStoriesTests: XCTestCase {
    nonisolated(unsafe) private static var server: ReferenceServer?
    nonisolated(unsafe) private static var startFailure: Error?
    private var sellers: Sellers!

    override class func setUp() {
        super.setUp()
        do { server = try ReferenceServer.start() } catch { startFailure = error }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        if let startFailure = Self.startFailure { throw startFailure }
        sellers = Sellers(server: try XCTUnwrap(Self.server))
    }

    /// A login enrolled on a phone (the app's codes primary, SMS backup) and a laptop to sign in
    /// on: the phone, the laptop and the vault entry making the login's codes.
    private func seller(_ email: String) throws -> (phone: TwostepClient, laptop: TwostepClient, entry: String) {
        let phone = try sellers.device(phoneIdentity)
        let entry = try sellers.enrolled(phone, email: email)
        return (phone, try sellers.device(laptopIdentity), entry)
    }

    func testACodeFromTheAuthenticatorAppSignsIn() throws {
        let email = "code@example.com"
        let (phone, laptop, entry) = try seller(email)
        try onMain {
            let signIn = SignInModel(client: laptop)
            guard case .password = signIn.state.step else { return XCTFail("starts at the password: \(signIn.state)") }

            let asked = try act(signIn, "the password") { await signIn.submitPassword(email: email, password: password) }
            let prompt = try codePrompt(asked)
            XCTAssertEqual(prompt.role, .primary)
            XCTAssertEqual(prompt.instruction, "Enter the code from your authenticator app.")
            XCTAssertEqual(prompt.link, "Didn't receive the code?")
            XCTAssertEqual(prompt.rememberDeviceLabel, "Don't ask for codes on this device")
            XCTAssertNil(prompt.trustLostMessage)

            let wrong = try act(signIn, "a wrong code") { await signIn.submitCode("000000", rememberDevice: false) }
            XCTAssertNotNil(wrong.error, "a wrong code is refused with a reason")
            XCTAssertNoThrow(try codePrompt(wrong), "and the seller may type again")

            let code = try phone.code(entryId: entry)
            let done = try act(signIn, "the right code") { await signIn.submitCode(code, rememberDevice: false) }
            let info = try signedIn(done)
            XCTAssertEqual(info.email, email)
            XCTAssertEqual(info.message, "Signed in.")
            XCTAssertFalse(info.trusted)
            XCTAssertNil(done.error)
        }
    }

    func testDidntReceiveTheCodeSendsItToTheBackupAndThenOffersRecovery() throws {
        let email = "backup@example.com"
        let (_, laptop, _) = try seller(email)
        let sellers = try XCTUnwrap(self.sellers)
        try onMain {
            let signIn = SignInModel(client: laptop)
            _ = try act(signIn, "the password") { await signIn.submitPassword(email: email, password: password) }
            let backup = try act(signIn, "Didn't receive the code?") { await signIn.didntReceiveCode() }
            let prompt = try codePrompt(backup)
            XCTAssertEqual(prompt.role, .backup)
            XCTAssertEqual(prompt.method.kind, .sms)
            XCTAssertEqual(prompt.instruction, "We sent a code by text message to •••• 0100.")
            XCTAssertFalse(prompt.canUseBackup)
            XCTAssertEqual(prompt.link, "No access to either method? Recover your account")

            let code = try sellers.lastCode(email)
            let done = try act(signIn, "the backup's code") { await signIn.submitCode(code, rememberDevice: false) }
            XCTAssertEqual(try signedIn(done).email, email)
        }
    }

    func testAPushApprovedOnThePhoneWithTheRightNumberSignsTheLaptopIn() throws {
        let email = "push@example.com"
        let (phone, laptop, _) = try seller(email)
        try onMain {
            let approvals = ApprovalsModel(client: phone)
            let registered = try act(approvals, "registering the phone") { await approvals.register(pushToken: "apns-token-1") }
            XCTAssertTrue(registered.registered, "\(registered)")

            let signIn = SignInModel(client: laptop)
            let asked = try act(signIn, "the password") { await signIn.submitPassword(email: email, password: password) }
            XCTAssertTrue(try codePrompt(asked).pushAvailable)
            let waiting = try act(signIn, "approve on the phone") { await signIn.approveOnPhone(rememberDevice: false) }
            guard case .pushWait(let wait) = waiting.step else { return XCTFail("expected the push wait, got \(waiting)") }
            XCTAssertEqual(wait.instruction, "Open the Seller app on your phone and enter \(wait.number) to approve this sign-in.")
            XCTAssertGreaterThan(wait.secondsLeft, 0)

            // The phone, on the notification.
            let inbox = try act(approvals, "check for requests") { await approvals.checkForRequests() }
            let request = try XCTUnwrap(inbox.requests.first, "the phone shows the request: \(inbox)")
            XCTAssertEqual(request.title, "Is this you signing in to \(email)?")
            XCTAssertEqual(request.browser, "Firefox 128 on Linux")
            XCTAssertTrue(request.expiresIn.hasPrefix("Expires in "), request.expiresIn)
            let answered = try act(approvals, "approving") {
                await approvals.approve(request.challengeId, typedNumber: String(wait.number))
            }
            XCTAssertEqual(answered.notice, "Approved. The sign-in will continue on the other device.")
            XCTAssertTrue(answered.requests.isEmpty)

            // The laptop hears it through the flow's listener, with nothing tapped.
            let done = try waitUntil(signIn, "signed in") { if case .signedIn = $0.step { true } else { false } }
            XCTAssertEqual(try signedIn(done).email, email)
        }
    }

    func testAWrongNumberOnThePhoneStopsTheSignIn() throws {
        let email = "wrongnumber@example.com"
        let (phone, laptop, _) = try seller(email)
        try onMain {
            let approvals = ApprovalsModel(client: phone)
            _ = try act(approvals, "registering the phone") { await approvals.register(pushToken: "apns-token-2") }
            let signIn = SignInModel(client: laptop)
            _ = try act(signIn, "the password") { await signIn.submitPassword(email: email, password: password) }
            let waiting = try act(signIn, "approve on the phone") { await signIn.approveOnPhone(rememberDevice: false) }
            guard case .pushWait(let wait) = waiting.step else { return XCTFail("expected the push wait, got \(waiting)") }

            let inbox = try act(approvals, "check for requests") { await approvals.checkForRequests() }
            let request = try XCTUnwrap(inbox.requests.first, "\(inbox)")
            let wrong = wait.number == 99 ? 98 : wait.number + 1
            let answered = try act(approvals, "a wrong number") {
                await approvals.approve(request.challengeId, typedNumber: String(wrong))
            }
            XCTAssertEqual(
                answered.error, "That number doesn't match the one on the sign-in screen, so that sign-in was stopped.")

            let stopped = try waitUntil(signIn, "the sign-in stopped") { if case .stopped = $0.step { true } else { false } }
            guard case .stopped(let message) = stopped.step else { return }
            XCTAssertTrue(message.hasPrefix("This sign-in was not approved on your phone"), message)
        }
    }

    func testThisWasntMeStopsTheSignInAndReportsIt() throws {
        let email = "notme@example.com"
        let (phone, laptop, _) = try seller(email)
        try onMain {
            let approvals = ApprovalsModel(client: phone)
            _ = try act(approvals, "registering the phone") { await approvals.register(pushToken: "apns-token-3") }
            let signIn = SignInModel(client: laptop)
            _ = try act(signIn, "the password") { await signIn.submitPassword(email: email, password: password) }
            _ = try act(signIn, "approve on the phone") { await signIn.approveOnPhone(rememberDevice: false) }

            let inbox = try act(approvals, "check for requests") { await approvals.checkForRequests() }
            let request = try XCTUnwrap(inbox.requests.first, "\(inbox)")
            let answered = try act(approvals, "This wasn't me") { await approvals.notMe(request.challengeId) }
            XCTAssertTrue(answered.notice?.hasPrefix("Reported.") == true, "\(answered)")
            XCTAssertTrue(answered.requests.isEmpty)

            try waitUntil(signIn, "the sign-in stopped") { if case .stopped = $0.step { true } else { false } }
        }
    }

    /// Deny: the request goes, the laptop's sign-in stops, and the empty list says none waits.
    func testDenyingARequestStopsTheSignIn() throws {
        let email = "deny@example.com"
        let (phone, laptop, _) = try seller(email)
        try onMain {
            let approvals = ApprovalsModel(client: phone)
            let registered = try act(approvals, "registering the phone") { await approvals.register(pushToken: "apns-token-deny") }
            XCTAssertEqual(registered.emptyMessage?.hasPrefix("No sign-in requests right now."), true, "\(registered)")
            let signIn = SignInModel(client: laptop)
            _ = try act(signIn, "the password") { await signIn.submitPassword(email: email, password: password) }
            _ = try act(signIn, "approve on the phone") { await signIn.approveOnPhone(rememberDevice: false) }

            let inbox = try act(approvals, "check for requests") { await approvals.checkForRequests() }
            let request = try XCTUnwrap(inbox.requests.first, "\(inbox)")
            XCTAssertNil(inbox.emptyMessage)
            let answered = try act(approvals, "Deny") { await approvals.deny(request.challengeId) }
            XCTAssertEqual(answered.notice, "Denied. That sign-in was stopped.")
            XCTAssertTrue(answered.requests.isEmpty)
            XCTAssertNotNil(answered.emptyMessage)

            try waitUntil(signIn, "the sign-in stopped") { if case .stopped = $0.step { true } else { false } }
        }
    }

    /// "Don't ask for codes on this device", a second sign-in without a code, then logging out
    /// through the app's root model: the sign-in asks for a code again and says why.
    func testTrustIsKeptForASecondSignInAndLoggingOutResetsItWithTheReason() throws {
        let email = "trust@example.com"
        let (phone, laptop, entry) = try seller(email)
        try onMain {
            let app = try openApp(laptop)
            let signIn = app.signIn
            _ = try act(signIn, "the password") { await signIn.submitPassword(email: email, password: password) }
            let code = try phone.code(entryId: entry)
            let first = try act(signIn, "the code, remembered") { await signIn.submitCode(code, rememberDevice: true) }
            let info = try signedIn(first)
            XCTAssertTrue(info.trusted)
            XCTAssertEqual(info.message, "Signed in. This device won't ask for codes for 30 days.")
            XCTAssertEqual(app.state, .home)

            let again = try act(signIn, "a second sign-in") { await signIn.submitPassword(email: email, password: password) }
            let second = try signedIn(again)
            XCTAssertTrue(second.withoutCode)
            XCTAssertEqual(second.message, "Signed in. This device is trusted, so no code was needed.")

            XCTAssertEqual(try act(app, "opening the logout") { await app.openLogout() }, .logout)
            let logout = try XCTUnwrap(app.logout)
            XCTAssertTrue(logout.state.resets.contains { $0.contains("Don't ask for codes on this device") }, "\(logout.state.resets)")
            let out = try act(logout, "logging out") { await logout.logout() }
            XCTAssertTrue(out.done)
            XCTAssertEqual(out.message, "Logged out. This device will ask for a code at your next sign-in.")
            XCTAssertEqual(app.state, .signIn, "logging out returns to the sign-in")
            guard case .password = signIn.state.step else { return XCTFail("the sign-in starts over: \(signIn.state)") }

            let after = try act(signIn, "the password after logging out") {
                await signIn.submitPassword(email: email, password: password)
            }
            XCTAssertEqual(try codePrompt(after).trustLostMessage, trustLossMessage(reason: .loggedOut))
        }
    }

    func testRequireCodesOnAllDevicesClearsEveryTrustedDevice() throws {
        let email = "require@example.com"
        let (phone, laptop, entry) = try seller(email)
        try onMain {
            let signIn = SignInModel(client: laptop)
            _ = try act(signIn, "the password") { await signIn.submitPassword(email: email, password: password) }
            let code = try phone.code(entryId: entry)
            _ = try act(signIn, "the code, remembered") { await signIn.submitCode(code, rememberDevice: true) }
        }
        // The code just used is refused again in its step: the next sign-in needs the next one.
        try sellers.server.advanceClock(seconds: 30)
        try onMain {
            let settings = SecuritySettingsModel(client: laptop)
            let state = try act(settings, "the settings") { await settings.refresh() }
            XCTAssertEqual(state.email, email)
            XCTAssertEqual(state.primary?.label, "Authenticator app")
            XCTAssertEqual(state.backup?.label, "•••• 0100")
            XCTAssertTrue(state.thisDeviceTrusted)
            XCTAssertEqual(state.trustedDevices, 1)
            XCTAssertEqual(state.trustedDevicesLabel, "1 device doesn't ask for codes.")
            XCTAssertEqual(state.requireCodesLabel, "Require codes on all devices")

            let cleared = try act(settings, "Require codes on all devices") { await settings.requireCodesOnAllDevices() }
            XCTAssertEqual(cleared.trustedDevices, 0)
            XCTAssertFalse(cleared.thisDeviceTrusted)
            XCTAssertEqual(cleared.thisDevice, trustLossMessage(reason: .requireCodesOnAllDevices))
            XCTAssertNotNil(cleared.notice)

            let signIn = SignInModel(client: laptop)
            let next = try act(signIn, "the next sign-in") { await signIn.submitPassword(email: email, password: password) }
            XCTAssertEqual(try codePrompt(next).trustLostMessage, trustLossMessage(reason: .requireCodesOnAllDevices))
        }
    }

    /// The phone's settings list the phones that approve and the devices that skip codes; a
    /// revoked laptop is asked for a code again, and a removed phone is no longer offered.
    func testSettingsListApprovingPhonesAndTrustedDevicesAndRemoveOneOfEach() throws {
        let email = "lists@example.com"
        let (phone, laptop, entry) = try seller(email)
        try onMain {
            let approvals = ApprovalsModel(client: phone)
            _ = try act(approvals, "registering the phone") { await approvals.register(pushToken: "apns-token-lists") }
            let signIn = SignInModel(client: laptop)
            _ = try act(signIn, "the password") { await signIn.submitPassword(email: email, password: password) }
            let code = try phone.code(entryId: entry)
            _ = try act(signIn, "the code, remembered") { await signIn.submitCode(code, rememberDevice: true) }
        }
        try sellers.server.advanceClock(seconds: 30)
        try onMain {
            let settings = SecuritySettingsModel(client: phone)
            let state = try act(settings, "the settings") { await settings.refresh() }
            XCTAssertEqual(state.approvingPhones.count, 1, "\(state)")
            let thisPhone = try XCTUnwrap(state.approvingPhones.first)
            XCTAssertTrue(thisPhone.thisDevice)
            XCTAssertEqual(state.trusted.map(\.title), ["Firefox 128 on Linux"])
            let laptopRow = try XCTUnwrap(state.trusted.first)
            XCTAssertFalse(laptopRow.thisDevice)

            let revoked = try act(settings, "revoking the laptop") { await settings.revokeTrust(laptopRow.id) }
            XCTAssertTrue(revoked.trusted.isEmpty, "\(revoked)")
            XCTAssertEqual(revoked.notice, "That device will ask for a code at its next sign-in.")
            let signIn = SignInModel(client: laptop)
            let again = try act(signIn, "the laptop's next sign-in") { await signIn.submitPassword(email: email, password: password) }
            XCTAssertNotNil(try codePrompt(again).trustLostMessage, "the laptop is asked for a code and told why")

            let removed = try act(settings, "removing the phone") { await settings.removePhone(thisPhone.id) }
            XCTAssertTrue(removed.approvingPhones.isEmpty, "\(removed)")
            signIn.startOver()
            let asked = try act(signIn, "a sign-in after") { await signIn.submitPassword(email: email, password: password) }
            XCTAssertFalse(try codePrompt(asked).pushAvailable, "a removed phone is no longer offered for approval")
        }
    }

    /// Changing the methods needs a fresh code from a current one: a wrong proof goes back to
    /// proving, the backup's code from the text message lets the seller choose new methods.
    func testChangingMethodsNeedsACodeFromACurrentOne() throws {
        let email = "change@example.com"
        let (phone, _, _) = try seller(email)
        let sellers = try XCTUnwrap(self.sellers)
        try onMain {
            let settings = SecuritySettingsModel(client: phone)
            let current = try act(settings, "the settings") { await settings.refresh() }
            let change = MethodsModel.change(
                client: phone, primary: try XCTUnwrap(current.primary), backup: try XCTUnwrap(current.backup))
            guard case .prove(let options, _) = change.state.step else { return XCTFail("prove first: \(change.state)") }
            XCTAssertEqual(options.map(\.method.label), ["Authenticator app", "•••• 0100"])

            let proving = try act(change, "prove with the backup") { await change.proveWith(.backup) }
            guard case .proofCode(_, _, let instruction) = proving.step else { return XCTFail("\(proving)") }
            XCTAssertEqual(instruction, "We sent a code by text message to •••• 0100.")
            change.submitProof("111111")
            let landline = MethodChoice.voice(phone: PhoneChoice(number: "+1 206 555 0199", defaultCallingCode: nil, line: .landline))
            let refused = try act(change, "choosing with a wrong proof") {
                await change.choose(primary: .authenticatorApp, backup: landline)
            }
            guard case .prove = refused.step else { return XCTFail("a wrong proof goes back to proving: \(refused)") }
            XCTAssertNotNil(refused.error)

            _ = try act(change, "prove with the backup again") { await change.proveWith(.backup) }
            change.submitProof(try sellers.lastCode(email))
            let confirm = try act(change, "choosing with the right proof") {
                await change.choose(primary: .authenticatorApp, backup: landline)
            }
            guard case .confirm(.primary, _, _, _) = confirm.step else { return XCTFail("expected to confirm the primary: \(confirm)") }
        }
    }

    /// A login without two-step verification: the sign-in sends the app to "enable it", which
    /// refuses a pair the rules forbid, naming the field, and confirms a good one.
    func testEnablingTwoStepVerificationRefusesABadPairThenConfirmsAGoodOne() throws {
        let email = "enable@example.com"
        let phone = try sellers.device(phoneIdentity)
        _ = try blocking("creating the login") { try await phone.createLogin(email: email, password: password) }
        let sellers = try XCTUnwrap(self.sellers)
        try onMain {
            let app = try openApp(phone)
            let signIn = app.signIn
            let asked = try act(signIn, "the password") { await signIn.submitPassword(email: email, password: password) }
            guard case .enrollmentRequired = asked.step else { return XCTFail("expected enable first, got \(asked)") }
            XCTAssertEqual(app.state, .enableTwoStep)
            let enable = try XCTUnwrap(app.enable)
            guard case .choose(let primaries, _) = enable.state.step else { return XCTFail("choose first: \(enable.state)") }
            XCTAssertEqual(primaries.count, 3)
            XCTAssertEqual(
                enable.backupOptions(primary: .authenticatorApp).map(\.label),
                ["SMS text-enabled phone (mobile)", "Voice-enabled phone (landline or mobile)"])

            let refused = try act(enable, "app and app") { await enable.choose(primary: .authenticatorApp, backup: .authenticatorApp) }
            XCTAssertEqual(refused.error, "You cannot use an authenticator app as both your primary and backup method.")
            XCTAssertEqual(refused.errorRole, .backup)

            let sms = MethodChoice.sms(phone: PhoneChoice(number: smsNumber, defaultCallingCode: nil, line: .mobile))
            let confirm = try act(enable, "app and SMS") { await enable.choose(primary: .authenticatorApp, backup: sms) }
            guard case .confirm(let role, _, let instruction, let entryId) = confirm.step else {
                return XCTFail("expected the confirm step, got \(confirm)")
            }
            XCTAssertEqual(role, .primary)
            XCTAssertTrue(instruction.hasPrefix("This app now makes codes for"), instruction)
            let entry = try XCTUnwrap(entryId, "the app's seed is in the vault")

            let appCode = try phone.code(entryId: entry)
            let next = try act(enable, "the app's code") { await enable.confirm(appCode) }
            guard case .confirm(let backupRole, _, let backupInstruction, _) = next.step else {
                return XCTFail("expected the backup's confirm step, got \(next)")
            }
            XCTAssertEqual(backupRole, .backup)
            XCTAssertEqual(backupInstruction, "We sent a code by text message to •••• 0100. Enter it to confirm this method.")
            let smsCode = try sellers.lastCode(email)
            let done = try act(enable, "the text's code") { await enable.confirm(smsCode) }
            guard case .done = done.step else { return XCTFail("expected done, got \(done)") }
            XCTAssertEqual(app.state, .home, "enabled: the app goes on to its home")
        }
    }
}

func codePrompt(_ state: SignInState, file: StaticString = #filePath, line: UInt = #line) throws -> CodePromptView {
    guard case .code(let prompt) = state.step else {
        XCTFail("expected the code prompt, got \(state)", file: file, line: line)
        throw TestFailure("not the code prompt")
    }
    return prompt
}

func signedIn(_ state: SignInState, file: StaticString = #filePath, line: UInt = #line) throws -> SignedInView {
    guard case .signedIn(let info) = state.step else {
        XCTFail("expected signed in, got \(state)", file: file, line: line)
        throw TestFailure("not signed in")
    }
    return info
}
