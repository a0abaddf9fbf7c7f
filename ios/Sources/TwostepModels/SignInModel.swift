import Twostep

/// The sign-in screens (password, code, approve on the phone, signed in, stopped): the core's
/// `SignInFlow`. A push answered on the phone arrives through the flow's listener.
@MainActor
public final class SignInModel: StateModel<SignInState> {
    private let flow: SignInFlow

    public convenience init(client: TwostepClient) {
        self.init(flow: SignInFlow(client: client))
    }

    init(flow: SignInFlow) {
        self.flow = flow
        super.init(state: flow.state())
        flow.setListener(listener: Relay(self))
    }

    override func latest() -> SignInState { flow.state() }

    public func submitPassword(email: String, password: String) async {
        publish(await flow.submitPassword(email: email, password: password))
    }

    public func submitCode(_ code: String, rememberDevice: Bool) async {
        publish(await flow.submitCode(code: code, rememberDevice: rememberDevice))
    }

    /// "Didn't receive the code?": the next method, or account recovery after the backup.
    public func didntReceiveCode() async {
        publish(await flow.didntReceiveCode())
    }

    public func approveOnPhone(rememberDevice: Bool) async {
        publish(await flow.approveOnPhone(rememberDevice: rememberDevice))
    }

    public func useCodeInstead() {
        publish(flow.useCodeInstead())
    }

    public func startOver() {
        publish(flow.startOver())
    }
}
