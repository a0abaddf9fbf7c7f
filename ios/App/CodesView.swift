import SwiftUI
import Twostep
import TwostepModels

/// Every account's code with its countdown, refreshed at each second while shown, and a way
/// to add one by link. Rows, countdowns, the clock note and every refusal are the core's.
struct CodesView: View {
    let model: CodesModel
    @State private var adding = false

    var body: some View {
        Observing(model) { state in
            List {
                if let note = state.clockNote {
                    Text(note).font(.footnote).foregroundStyle(.orange)
                }
                if let empty = state.emptyMessage {
                    Text(empty).foregroundStyle(.secondary)
                }
                ForEach(state.rows, id: \.entryId) { row in
                    CodeRowView(model: model, row: row)
                }
                ForEach(state.damaged, id: \.entryId) { damaged in
                    HStack {
                        Text(damaged.message)
                        Spacer()
                        Button(Strings.remove, role: .destructive) { perform { await model.removeDamaged(damaged.entryId) } }
                    }
                }
            }
            .listStyle(.plain)
            .navigationTitle(Strings.codes)
            .toolbar { Button(Strings.add) { adding = true } }
        }
        .task { await model.run() }
        .sheet(isPresented: $adding) { AddAccountView(model: model) }
    }
}

/// One account: issuer, the code as the core grouped it, account, and the countdown ring. An
/// HOTP row shows its code only when tapped, since showing it uses it up.
private struct CodeRowView: View {
    let model: CodesModel
    let row: CodeRow

    var body: some View {
        HStack {
            VStack(alignment: .leading, spacing: 2) {
                Text(row.issuer).font(.caption).foregroundStyle(.secondary)
                if row.timeBased {
                    Text(row.grouped).font(.system(.title, design: .monospaced))
                } else if let code = model.revealed[row.entryId] {
                    Text(code).font(.system(.title, design: .monospaced))
                } else {
                    Button(row.grouped) { perform { await model.reveal(row.entryId) } }
                }
                Text(row.account).font(.subheadline)
                if let next = row.nextGrouped {
                    Text(Strings.next(next)).font(.caption2).foregroundStyle(.secondary)
                }
            }
            Spacer()
            if row.timeBased {
                Countdown(secondsLeft: row.secondsLeft, fractionElapsed: row.fractionElapsed)
            }
        }
        .padding(.vertical, 4)
    }
}

/// The ring empties as the period runs out; the number is the core's seconds left.
private struct Countdown: View {
    let secondsLeft: UInt32
    let fractionElapsed: Double

    var body: some View {
        ZStack {
            Circle().stroke(.quaternary, lineWidth: 4)
            Circle()
                .trim(from: 0, to: 1 - fractionElapsed)
                .stroke(.tint, style: StrokeStyle(lineWidth: 4, lineCap: .round))
                .rotationEffect(.degrees(-90))
            Text("\(secondsLeft)").font(.caption2.monospacedDigit())
        }
        .frame(width: 36, height: 36)
        .accessibilityLabel(Strings.secondsLeft(secondsLeft))
    }
}

/// Paste an `otpauth://` link; a refused one shows the core's reason under the field.
private struct AddAccountView: View {
    let model: CodesModel
    @Environment(\.dismiss) private var dismiss
    @State private var link = ""
    @State private var error: String?
    @State private var busy = false

    var body: some View {
        NavigationView {
            Form {
                Section {
                    TextField(Strings.uriLabel, text: $link)
                        .textContentType(.oneTimeCode)
                        .autocorrectionDisabled()
                        .textInputAutocapitalization(.never)
                } footer: {
                    ErrorText(text: error)
                }
            }
            .navigationTitle(Strings.addTitle)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(Strings.cancel) { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    Button(Strings.add) {
                        busy = true
                        let link = self.link
                        perform {
                            await model.addLink(link)
                            error = model.error
                            busy = false
                            if error == nil { dismiss() }
                        }
                    }
                    .disabled(link.isEmpty || busy)
                }
            }
        }
    }
}
