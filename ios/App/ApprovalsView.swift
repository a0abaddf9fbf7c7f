import SwiftUI
import Twostep
import TwostepModels

/// "Is this you signing in?": each request as the core words it (who, where, when, how long
/// it stays), with the number to type from the sign-in screen, Approve, Deny and "This wasn't
/// me". Checked when shown and on a pull; while shown the core counts down and fetches on its
/// own. A push notification checks too (`PushRelay`).
struct ApprovalsView: View {
    let model: ApprovalsModel
    let push: PushRelay

    var body: some View {
        Observing(model) { state in
            List {
                NoticeText(text: state.notice)
                ErrorText(text: state.error)
                if let warning = state.fatigueWarning {
                    Text(warning).foregroundStyle(.orange)
                }
                if !state.registered {
                    Button(Strings.approveHere) { push.requestRegistration() }
                }
                if let empty = state.emptyMessage {
                    Text(empty).foregroundStyle(.secondary)
                }
                ForEach(state.requests, id: \.challengeId) { request in
                    RequestRow(model: model, request: request)
                }
                Button(Strings.checkForRequests) { perform { await model.checkForRequests() } }
            }
            .navigationTitle(Strings.approvals)
            .refreshable { await model.checkForRequests() }
        }
        .task { await model.checkForRequests() }
        .onAppear { model.startWatching() }
        .onDisappear { model.stopWatching() }
    }
}

private struct RequestRow: View {
    let model: ApprovalsModel
    let request: ApprovalView
    @State private var number = ""

    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            Text(request.title).font(.headline)
            Text(request.browser)
            Text(request.place)
            Text(request.app)
            Text(request.when).foregroundStyle(.secondary)
            Text(request.expiresIn).foregroundStyle(.secondary)
            if let note = request.groupedNote { Text(note).font(.footnote) }
            TextField(Strings.number, text: $number, prompt: Text(request.numberHint))
                .keyboardType(.numberPad)
                .autocorrectionDisabled()
            HStack {
                Button(Strings.approve) {
                    let typed = number
                    perform { await model.approve(request.challengeId, typedNumber: typed) }
                }
                .buttonStyle(.borderedProminent)
                .disabled(number.isEmpty)
                Button(Strings.deny) { perform { await model.deny(request.challengeId) } }
                    .buttonStyle(.bordered)
                Button(Strings.notMe, role: .destructive) { perform { await model.notMe(request.challengeId) } }
                    .buttonStyle(.bordered)
            }
        }
        .padding(.vertical, 4)
    }
}
