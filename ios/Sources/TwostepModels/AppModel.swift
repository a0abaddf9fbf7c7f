import Twostep

/// Which screen the app shows, and the view model behind it. The step comes from the flows'
/// states: the sign-in ends signed in (home) or asks to turn two-step verification on first;
/// enabling it ends on its done step; logging out returns to the sign-in.
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

    public init(client: TwostepClient) {
        self.client = client
        signIn = SignInModel(client: client)
        approvals = ApprovalsModel(client: client)
        codes = CodesModel(client: client)
        super.init(state: .signIn)
        signIn.observe { [weak self] in self?.signInChanged($0) }
    }

    private func signInChanged(_ state: SignInState) {
        switch state.step {
        case .signedIn: if self.state == .signIn { publish(.home) }
        case .enrollmentRequired: openEnable()
        default: break
        }
    }

    private func openEnable() {
        guard state != .enableTwoStep else { return }
        let model = MethodsModel.enable(client: client)
        model.observe { [weak self] methods in
            if case .done = methods.step { self?.publish(.home) }
        }
        enable = model
        publish(.enableTwoStep)
    }

    public func openSecuritySettings() {
        settings = SecuritySettingsModel(client: client)
        publish(.securitySettings)
    }

    public func openLogout() {
        let model = LogoutModel(client: client)
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
