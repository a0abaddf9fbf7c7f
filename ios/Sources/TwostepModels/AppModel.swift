import Twostep

/// Which screen the app shows, and the view model behind it. The step comes from the flows'
/// states: the sign-in ends signed in (home) or asks to turn two-step verification on first;
/// enabling it ends on its done step; logging out returns to the sign-in.
///
/// Making a flow can read the vault (SQLite, and the key store at the first read), which waits
/// while a backup or an import holds it: `open` and the `open…` screens make their flows on a
/// serial queue of their own, never on the main actor or Swift's cooperative threads.
@MainActor
public final class AppModel: StateModel<AppModel.Screen> {
    public enum Screen: Sendable, Equatable {
        case signIn
        case enableTwoStep
        case home
        case securitySettings
        case logout
    }

    public let client: TwostepClient
    public let signIn: SignInModel
    public let approvals: ApprovalsModel
    public let codes: CodesModel
    public private(set) var enable: MethodsModel?
    public private(set) var settings: SecuritySettingsModel?
    public private(set) var logout: LogoutModel?

    private static let setup = BlockingQueue(label: "dev.twostep.app")

    /// The app's start: the vault at `vaultPath` (made at the first launch) opened with
    /// `keyStore`, a client of the backend at `baseUrl`, and the first screens' models. A vault
    /// that cannot be opened is thrown as the core's `TwostepError` and left as it is.
    public static func open(
        baseUrl: String, identity: ClientIdentity, vaultPath: String, keyStore: KeyStore
    ) async throws -> AppModel {
        let vault = try await AsyncVault.openOrCreate(path: vaultPath, keyStore: keyStore)
        let client = try await setup.run { try TwostepClient(baseUrl: baseUrl, identity: identity, vault: vault.vault) }
        return await open(client: client)
    }

    /// The app over a client made elsewhere.
    public static func open(client: TwostepClient) async -> AppModel {
        let (signIn, approvals, codes) = await setup.run {
            (SignInFlow(client: client), ApprovalsFlow(client: client), CodesFlow(client: client))
        }
        return AppModel(client: client, signIn: signIn, approvals: approvals, codes: codes)
    }

    private init(client: TwostepClient, signIn: SignInFlow, approvals: ApprovalsFlow, codes: CodesFlow) {
        self.client = client
        self.signIn = SignInModel(flow: signIn)
        self.approvals = ApprovalsModel(flow: approvals)
        self.codes = CodesModel(flow: codes)
        super.init(state: .signIn)
        self.signIn.observe { [weak self] in self?.signInChanged($0) }
    }

    private func signInChanged(_ state: SignInState) {
        switch state.step {
        case .signedIn: if self.state == .signIn { publish(.home) }
        case .enrollmentRequired: openEnable()
        default: break
        }
    }

    /// Enabling needs no read of the vault until the seller chooses: made here at once, so the
    /// screen follows the sign-in's state without a gap.
    private func openEnable() {
        guard state != .enableTwoStep else { return }
        let model = MethodsModel.enable(client: client)
        model.observe { [weak self] methods in
            if case .done = methods.step { self?.publish(.home) }
        }
        enable = model
        publish(.enableTwoStep)
    }

    public func openSecuritySettings() async {
        let client = self.client
        let flow = await Self.setup.run { SecuritySettingsFlow(client: client) }
        settings = SecuritySettingsModel(flow: flow)
        publish(.securitySettings)
    }

    public func openLogout() async {
        let client = self.client
        let flow = await Self.setup.run { LogoutFlow(client: client) }
        let model = LogoutModel(flow: flow)
        model.observe { [weak self] out in
            guard let self, out.done else { return }
            self.signIn.startOver()
            self.publish(.signIn)
        }
        logout = model
        publish(.logout)
    }

    public func back() {
        publish(.home)
    }
}
