import SwiftUI
import Twostep
import TwostepModels

/// The screen `AppModel` says: the sign-in, enabling two-step verification, or the signed-in
/// tabs (codes, sign-in requests, security settings, log out).
struct RootView: View {
    let app: AppModel
    let push: PushRelay

    var body: some View {
        Observing(app) { screen in
            switch screen {
            case .signIn:
                NavigationView { SignInView(model: app.signIn) }.navigationViewStyle(.stack)
            case .enableTwoStep:
                if let enable = app.enable {
                    NavigationView { MethodsView(model: enable, codes: app.codes) }.navigationViewStyle(.stack).id(ObjectIdentifier(enable))
                }
            case .home, .securitySettings, .logout:
                SignedInTabs(app: app, push: push, screen: screen)
            }
        }
    }
}

/// The signed-in app. Codes and requests are the home screen's two tabs; the settings and the
/// logout are opened through `AppModel`, which makes their flows off the main actor (and a new
/// settings model each time, so they are fetched again each time they are shown).
private struct SignedInTabs: View {
    enum Tab: Hashable { case codes, approvals, settings, logout }

    let app: AppModel
    let push: PushRelay
    /// The app's screen: a change redraws the tabs, which read the model it opened.
    let screen: AppModel.Screen
    @State private var tab = Tab.codes

    var body: some View {
        TabView(selection: $tab) {
            NavigationView { CodesView(model: app.codes) }
                .navigationViewStyle(.stack)
                .tabItem { Label(Strings.codes, systemImage: "number") }
                .tag(Tab.codes)
            NavigationView { ApprovalsView(model: app.approvals, push: push) }
                .navigationViewStyle(.stack)
                .tabItem { Label(Strings.approvals, systemImage: "checkmark.shield") }
                .tag(Tab.approvals)
            NavigationView {
                if screen == .securitySettings, let settings = app.settings {
                    SecuritySettingsView(model: settings).id(ObjectIdentifier(settings))
                } else {
                    ProgressView()
                }
            }
            .navigationViewStyle(.stack)
            .tabItem { Label(Strings.securitySettings, systemImage: "gearshape") }
            .tag(Tab.settings)
            NavigationView {
                if screen == .logout, let logout = app.logout {
                    LogoutView(model: logout).id(ObjectIdentifier(logout))
                } else {
                    ProgressView()
                }
            }
            .navigationViewStyle(.stack)
            .tabItem { Label(Strings.logOut, systemImage: "rectangle.portrait.and.arrow.right") }
            .tag(Tab.logout)
        }
        .onChange(of: tab) { tab in
            switch tab {
            case .settings: perform { await app.openSecuritySettings() }
            case .logout: perform { await app.openLogout() }
            case .codes, .approvals: app.back()
            }
        }
    }
}
