import Twostep

/// Security settings: the login, its methods, this device's trust, the devices that don't ask
/// for codes, and "Require codes on all devices". The core's `SecuritySettingsFlow`.
@MainActor
public final class SecuritySettingsModel: StateModel<SecuritySettingsState> {
    private let flow: SecuritySettingsFlow

    public init(client: TwostepClient) {
        flow = SecuritySettingsFlow(client: client)
        super.init(state: flow.state())
        flow.setListener(listener: Relay(self))
    }

    override func latest() -> SecuritySettingsState { flow.state() }

    public func refresh() async {
        publish(await flow.refresh())
    }

    public func requireCodesOnAllDevices() async {
        publish(await flow.requireCodesOnAllDevices())
    }
}
