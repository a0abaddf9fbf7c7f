import Twostep

/// The phone's approval requests: the core's `ApprovalsFlow`. While `startWatching()` runs,
/// the countdowns and new requests arrive through the listener.
@MainActor
public final class ApprovalsModel: StateModel<ApprovalsState> {
    private let flow: ApprovalsFlow

    /// Reads the vault on the calling thread (is this phone registered?): the app gets its
    /// model from `AppModel`, which makes the flow off the main actor.
    public convenience init(client: TwostepClient) {
        self.init(flow: ApprovalsFlow(client: client))
    }

    init(flow: ApprovalsFlow) {
        self.flow = flow
        super.init(state: flow.state())
        flow.setListener(listener: Relay(self))
    }

    override func latest() -> ApprovalsState { flow.state() }

    /// Hands the APNs token to the backend.
    public func register(pushToken: String) async {
        publish(await flow.register(pushToken: pushToken))
    }

    /// On a notification, or when the app becomes active.
    public func checkForRequests() async {
        publish(await flow.checkForRequests())
    }

    public func approve(_ challengeId: String, typedNumber: String) async {
        publish(await flow.approve(challengeId: challengeId, typedNumber: typedNumber))
    }

    public func deny(_ challengeId: String) async {
        publish(await flow.deny(challengeId: challengeId))
    }

    /// "This wasn't me".
    public func notMe(_ challengeId: String) async {
        publish(await flow.notMe(challengeId: challengeId))
    }

    public func startWatching() {
        flow.startWatching()
    }

    public func stopWatching() {
        flow.stopWatching()
    }
}
