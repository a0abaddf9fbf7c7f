import SwiftUI
import TwostepModels

/// A view model's state as SwiftUI's `ObservableObject` (iOS 15 predates Observation): the
/// model publishes, this republishes, the view redraws.
@MainActor
final class Observed<State: Sendable>: ObservableObject {
    @Published private(set) var state: State

    init(_ model: StateModel<State>) {
        state = model.state
        model.observe { [weak self] in self?.state = $0 }
    }
}

/// Draws `content` with `model`'s state, again after every change. Give it `.id` of the model
/// when the model can be replaced, so a new model gets a new observer.
struct Observing<State: Sendable, Content: View>: View {
    @StateObject private var observed: Observed<State>
    private let content: (State) -> Content

    @MainActor
    init(_ model: StateModel<State>, @ViewBuilder content: @escaping (State) -> Content) {
        _observed = StateObject(wrappedValue: Observed(model))
        self.content = content
    }

    var body: some View { content(observed.state) }
}

/// The core's error text under a form, in red; nothing when there is none.
struct ErrorText: View {
    let text: String?

    var body: some View {
        if let text {
            Text(text).foregroundStyle(.red).accessibilityIdentifier("error")
        }
    }
}

/// The core's notice (what just happened), when there is one.
struct NoticeText: View {
    let text: String?

    var body: some View {
        if let text {
            Text(text).accessibilityIdentifier("notice")
        }
    }
}

/// A field for a code the seller types: the system offers a code from Messages, and nothing
/// corrects or capitalises it.
struct CodeField: View {
    @Binding var code: String

    var body: some View {
        TextField(Strings.code, text: $code)
            .textContentType(.oneTimeCode)
            .keyboardType(.numberPad)
            .autocorrectionDisabled()
            .textInputAutocapitalization(.never)
            .font(.system(.title2, design: .monospaced))
    }
}

/// Runs a model's action from a button.
func perform(_ action: @escaping @MainActor () async -> Void) {
    Task { @MainActor in await action() }
}
