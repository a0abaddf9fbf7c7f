import Twostep

/// Security settings: the login, its methods, this device's trust, the devices that don't ask
/// for codes, "Require codes on all devices", and the phones that approve sign-ins and the
/// trusted devices, one removed or revoked at a time. The core's `SecuritySettingsFlow`.
@MainActor
public final class SecuritySettingsModel: StateModel<SecuritySettingsState> {
    private let flow: SecuritySettingsFlow

    /// Reads the vault on the calling thread (who is signed in, this device's trust): the app
    /// opens the screen with `AppModel.openSecuritySettings()`, which makes the flow off the
    /// main actor.
    public convenience init(client: TwostepClient) {
        self.init(flow: SecuritySettingsFlow(client: client))
    }

    init(flow: SecuritySettingsFlow) {
        self.flow = flow
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

    /// Stops one phone approving sign-ins (a lost phone): a row of `approvingPhones`.
    public func removePhone(_ deviceId: String) async {
        publish(await flow.removePhone(deviceId: deviceId))
    }

    /// Ends one device's "Don't ask for codes": a row of `trusted`.
    public func revokeTrust(_ trustId: String) async {
        publish(await flow.revokeTrust(trustId: trustId))
    }
}
