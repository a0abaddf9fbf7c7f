import SwiftUI
import Twostep

/// The app: one screen of codes over the `Twostep` package.
@main
struct TwostepApp: App {
    @StateObject private var model = CodesModel()
    @Environment(\.scenePhase) private var scenePhase

    var body: some Scene {
        WindowGroup {
            CodesView(model: model)
                // Codes are second factors: hide them from the app switcher's snapshot.
                .overlay {
                    if scenePhase != .active {
                        Rectangle().fill(.background).ignoresSafeArea()
                    }
                }
        }
    }
}
