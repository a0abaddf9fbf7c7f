import SwiftUI
import Twostep
import TwostepModels
import UIKit
import UserNotifications

/// The seller's app: opens the vault and the client (`AppModel.open`, off the main actor),
/// then shows the screen the app model says. Covers the screen when the app is not active, so
/// the app switcher's snapshot shows no code.
@main
struct TwostepApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate
    @StateObject private var launch = Launch()
    @Environment(\.scenePhase) private var scenePhase

    var body: some Scene {
        WindowGroup {
            Group {
                switch launch.phase {
                case .opening:
                    ProgressView()
                case .failed(let message):
                    Text("\(Strings.vaultFailed)\n\n\(message)").multilineTextAlignment(.center).padding()
                case .ready(let app):
                    RootView(app: app, push: delegate.push)
                }
            }
            .task { await launch.start(push: delegate.push) }
            .overlay {
                if scenePhase != .active {
                    Rectangle().fill(.background).ignoresSafeArea()
                }
            }
        }
        .onChange(of: scenePhase) { phase in
            // Requests may have come while the app was away, with or without a notification.
            if phase == .active { delegate.push.checkForRequests() }
        }
    }
}

/// Opening the app once: the vault in Application Support/Vault/ (its key in this device's
/// Keychain), a client of the backend named by the `TwostepServerURL` key of Info.plist.
@MainActor
final class Launch: ObservableObject {
    enum Phase {
        case opening
        case ready(AppModel)
        /// The vault did not open; the text is the core's (it never holds a secret). The file is
        /// left as it was.
        case failed(String)
    }

    @Published private(set) var phase: Phase = .opening
    private var started = false

    func start(push: PushRelay) async {
        guard !started else { return }
        started = true
        do {
            let app = try await AppModel.open(
                baseUrl: try Self.serverURL(), identity: Self.identity(), vaultPath: try Self.vaultPath(),
                keyStore: KeychainKeyStore())
            push.approvals = app.approvals
            phase = .ready(app)
        } catch let error as TwostepError {
            phase = .failed(error.description)
        } catch {
            phase = .failed(error.localizedDescription)
        }
    }

    private static func serverURL() throws -> String {
        guard let url = Bundle.main.object(forInfoDictionaryKey: "TwostepServerURL") as? String, !url.isEmpty else {
            throw LaunchError.noServerURL
        }
        return url
    }

    private static func identity() -> ClientIdentity {
        let version = Bundle.main.object(forInfoDictionaryKey: "CFBundleShortVersionString") as? String ?? "0"
        let system = UIDevice.current.systemVersion
        return ClientIdentity(kind: .app, appVersion: version, userAgent: "Seller app \(version) on iOS \(system)", platform: "ios")
    }

    /// Application Support/Vault/vault.sqlite, the directory (with SQLite's -wal and -shm
    /// files) kept out of backups: its key stays in this device's Keychain, so a restored copy
    /// could not be opened anyway.
    private static func vaultPath() throws -> String {
        let support = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        var directory = support.appendingPathComponent("Vault", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try directory.setResourceValues(values)
        return directory.appendingPathComponent("vault.sqlite").path
    }
}

enum LaunchError: LocalizedError {
    case noServerURL

    var errorDescription: String? { "Info.plist has no TwostepServerURL (the backend's https:// address)." }
}

/// APNs for the approvals: the device token goes to the backend through `ApprovalsModel`,
/// and every notification (in the background, in the foreground, or tapped) makes the phone
/// check for requests. The notification carries no request: the core fetches and verifies
/// them itself.
final class AppDelegate: NSObject, UIApplicationDelegate, UNUserNotificationCenterDelegate {
    let push = PushRelay()

    func application(
        _ application: UIApplication, didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil
    ) -> Bool {
        UNUserNotificationCenter.current().delegate = self
        return true
    }

    func application(_ application: UIApplication, didRegisterForRemoteNotificationsWithDeviceToken deviceToken: Data) {
        push.register(token: deviceToken)
    }

    func application(_ application: UIApplication, didFailToRegisterForRemoteNotificationsWithError error: Error) {
        // Without a token the phone cannot approve; "Check for requests" still works.
    }

    func application(
        _ application: UIApplication, didReceiveRemoteNotification userInfo: [AnyHashable: Any]
    ) async -> UIBackgroundFetchResult {
        await push.check()
        return .newData
    }

    nonisolated func userNotificationCenter(
        _ center: UNUserNotificationCenter, willPresent notification: UNNotification
    ) async -> UNNotificationPresentationOptions {
        await push.check()
        return [.banner, .sound]
    }

    nonisolated func userNotificationCenter(_ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse) async {
        await push.check()
    }
}

/// Between APNs and the approvals model, which exists once the vault is open.
@MainActor
final class PushRelay {
    weak var approvals: ApprovalsModel?

    /// Asks to show notifications, then for an APNs token (`AppDelegate` hands it over).
    func requestRegistration() {
        Task { @MainActor in
            let granted = (try? await UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .sound])) ?? false
            if granted { UIApplication.shared.registerForRemoteNotifications() }
        }
    }

    /// The token as hex, the form APNs providers send to.
    func register(token: Data) {
        let hex = token.map { String(format: "%02x", $0) }.joined()
        perform { [weak self] in await self?.approvals?.register(pushToken: hex) }
    }

    func check() async {
        await approvals?.checkForRequests()
    }

    func checkForRequests() {
        perform { [weak self] in await self?.check() }
    }
}
