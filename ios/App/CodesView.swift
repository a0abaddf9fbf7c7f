import SwiftUI
import Twostep

/// The one screen: every account's code with its countdown, and a way to add one by link.
struct CodesView: View {
    @ObservedObject var model: CodesModel
    @State private var adding = false

    var body: some View {
        NavigationView {
            content
                .navigationTitle("Twostep")
                .toolbar {
                    if model.phase == .ready {
                        Button("Add") { adding = true }
                    }
                }
        }
        .navigationViewStyle(.stack)
        .task { await model.run() }
        .sheet(isPresented: $adding) { AddAccountView(model: model) }
        .alert(model.notice ?? "", isPresented: Binding(get: { model.notice != nil }, set: { if !$0 { model.notice = nil } })) {
            Button("OK", role: .cancel) {}
        }
    }

    @ViewBuilder private var content: some View {
        switch model.phase {
        case .opening:
            ProgressView()
        case .failed(let message):
            Text("The codes could not be opened\n\n\(message)").multilineTextAlignment(.center).padding()
        case .ready where model.rows.isEmpty:
            Text("No accounts yet. Add one with its otpauth:// link.").multilineTextAlignment(.center).padding()
        case .ready:
            List(model.rows) { row in
                CodeRowView(row: row, revealed: model.revealed[row.id]) {
                    Task { await model.reveal(id: row.id) }
                }
            }
            .listStyle(.plain)
        }
    }
}

/// One account: issuer, the code as the core grouped it, account, and the countdown ring.
struct CodeRowView: View {
    let row: CodeRow
    let revealed: CodeView?
    let onReveal: () -> Void

    var body: some View {
        let view = row.code ?? revealed
        HStack {
            VStack(alignment: .leading, spacing: 2) {
                Text(row.entry.issuer).font(.caption).foregroundStyle(.secondary)
                if let view {
                    Text(view.grouped).font(.system(.title, design: .monospaced))
                } else {
                    // HOTP: showing the code uses it, so it waits for a tap.
                    Button("Show code", action: onReveal)
                }
                Text(row.entry.account).font(.subheadline)
            }
            Spacer()
            if let timing = view?.timing {
                Countdown(timing: timing)
            }
        }
        .padding(.vertical, 4)
    }
}

/// The ring empties as the period runs out; the number is the core's seconds left.
struct Countdown: View {
    let timing: Timing

    var body: some View {
        ZStack {
            Circle().stroke(.quaternary, lineWidth: 4)
            Circle()
                .trim(from: 0, to: 1 - timing.fractionElapsed)
                .stroke(.tint, style: StrokeStyle(lineWidth: 4, lineCap: .round))
                .rotationEffect(.degrees(-90))
            Text("\(timing.secondsLeft)").font(.caption2.monospacedDigit())
        }
        .frame(width: 36, height: 36)
        .accessibilityLabel("\(timing.secondsLeft) seconds left")
    }
}

/// Paste an `otpauth://` link; a refused one shows the core's reason under the field.
struct AddAccountView: View {
    @ObservedObject var model: CodesModel
    @Environment(\.dismiss) private var dismiss
    @State private var uri = ""
    @State private var error: String?
    @State private var busy = false

    var body: some View {
        NavigationView {
            Form {
                Section {
                    TextField("otpauth:// link", text: $uri)
                        .textInputAutocapitalization(.never)
                        .autocorrectionDisabled()
                } footer: {
                    if let error { Text(error).foregroundStyle(.red) }
                }
            }
            .navigationTitle("Add an account")
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button("Cancel") { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    Button("Add") {
                        busy = true
                        Task {
                            error = await model.add(uri: uri)
                            busy = false
                            if error == nil { dismiss() }
                        }
                    }
                    .disabled(uri.isEmpty || busy)
                }
            }
        }
    }
}
