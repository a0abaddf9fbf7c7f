import Twostep

/// Logging out: what it resets (shown before the seller confirms) and the outcome. The core's
/// `LogoutFlow`.
@MainActor
public final class LogoutModel: StateModel<LogoutState> {
    private let flow: LogoutFlow

    /// Reads the vault on the calling thread (what logging out resets): the app opens the
    /// screen with `AppModel.openLogout()`, which makes the flow off the main actor.
    public convenience init(client: TwostepClient) {
        self.init(flow: LogoutFlow(client: client))
    }

    init(flow: LogoutFlow) {
        self.flow = flow
        super.init(state: flow.state())
    }

    public func logout() async {
        publish(await flow.logout())
    }
}
