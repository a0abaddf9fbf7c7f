import SwiftUI
import Twostep
import TwostepModels

/// Logging out: what it resets, in the core's words, before the seller confirms; then the
/// outcome (the app returns to the sign-in).
struct LogoutView: View {
    let model: LogoutModel

    var body: some View {
        Observing(model) { state in
            Form {
                if let message = state.message {
                    Text(message)
                } else {
                    Section(Strings.logoutResets) {
                        ForEach(state.resets, id: \.self) { Text($0) }
                    }
                    Button(Strings.logOut, role: .destructive) { perform { await model.logout() } }
                }
                ErrorText(text: state.error)
            }
            .navigationTitle(Strings.logOut)
        }
    }
}
