import Twostep

/// Logging out: what it resets (shown before the seller confirms) and the outcome. The core's
/// `LogoutFlow`.
@MainActor
public final class LogoutModel: StateModel<LogoutState> {
    private let flow: LogoutFlow

    public init(client: TwostepClient) {
        flow = LogoutFlow(client: client)
        super.init(state: flow.state())
    }

    public func logout() async {
        publish(await flow.logout())
    }
}
