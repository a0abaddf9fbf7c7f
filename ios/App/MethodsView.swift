import SwiftUI
import Twostep
import TwostepModels

/// Enabling two-step verification (or changing the methods): prove with a current method
/// when changing, choose a primary and a backup, confirm each with a code, done. The options,
/// instructions and refusals are the core's; a refusal shows under the method it names.
struct MethodsView: View {
    let model: MethodsModel
    /// The codes this app makes: when this app is the method to confirm, its code is shown here.
    let codes: CodesModel

    var body: some View {
        Observing(model) { state in
            Form {
                switch state.step {
                case .prove(let current, let message):
                    Text(message)
                    ForEach(current, id: \.role) { option in
                        Button(option.method.label) { perform { await model.proveWith(option.role) } }
                    }
                    ErrorText(text: state.error)
                case .proofCode(_, _, let instruction):
                    ProofStep(model: model, instruction: instruction)
                    ErrorText(text: state.error)
                case .choose(let primaries, let message):
                    ChooseStep(model: model, primaries: primaries, message: message, state: state)
                case .confirm(_, _, let instruction, let entryId):
                    ConfirmStep(model: model, codes: codes, instruction: instruction, entryId: entryId)
                    ErrorText(text: state.error)
                case .done(let message):
                    Text(message)
                }
            }
            .navigationTitle(Strings.enable2SV)
        }
    }
}

private struct ProofStep: View {
    let model: MethodsModel
    let instruction: String
    @State private var code = ""

    var body: some View {
        Section {
            Text(instruction)
            CodeField(code: $code)
        }
        Button(Strings.continueLabel) {
            model.submitProof(code)
            code = ""
        }
        .disabled(code.isEmpty)
    }
}

/// A primary from the core's options, then a backup from the options the core allows with it;
/// a phone method asks for its number.
private struct ChooseStep: View {
    let model: MethodsModel
    let primaries: [BackupOption]
    let message: String
    let state: MethodsState
    @State private var primary = 0
    @State private var backup = 0
    @State private var primaryPhone = PhoneEntry()
    @State private var backupPhone = PhoneEntry()

    var body: some View {
        Text(message)
        Section(Strings.primary) {
            Picker(Strings.primary, selection: $primary) {
                ForEach(primaries.indices, id: \.self) { Text(primaries[$0].label).tag($0) }
            }
            if let option = primaries[safe: primary], option.kind != .authenticatorApp {
                PhoneFields(entry: $primaryPhone)
            }
            if state.errorRole == .primary { ErrorText(text: state.error) }
        }
        let backups = primaries[safe: primary].map { model.backupOptions(primary: $0.kind) } ?? []
        Section(Strings.backup) {
            Picker(Strings.backup, selection: $backup) {
                ForEach(backups.indices, id: \.self) { Text(backups[$0].label).tag($0) }
            }
            if let option = backups[safe: backup], option.kind != .authenticatorApp {
                PhoneFields(entry: $backupPhone)
            }
            if state.errorRole == .backup { ErrorText(text: state.error) }
        }
        if state.errorRole == nil { ErrorText(text: state.error) }
        Button(Strings.continueLabel) {
            guard let first = primaries[safe: primary], let second = backups[safe: backup] else { return }
            let choices = (primaryPhone.choice(first.kind), backupPhone.choice(second.kind))
            perform { await model.choose(primary: choices.0, backup: choices.1) }
        }
        .onChange(of: primary) { _ in backup = 0 }
    }
}

/// What the seller typed for a phone method.
private struct PhoneEntry {
    var number = ""
    var landline = false

    func choice(_ kind: MethodKind) -> MethodChoice {
        let phone = PhoneChoice(number: number, defaultCallingCode: nil, line: landline ? .landline : .mobile)
        switch kind {
        case .authenticatorApp: return .authenticatorApp
        case .sms: return .sms(phone: phone)
        case .voice: return .voice(phone: phone)
        }
    }
}

private struct PhoneFields: View {
    @Binding var entry: PhoneEntry

    var body: some View {
        TextField(Strings.phoneNumber, text: $entry.number)
            .textContentType(.telephoneNumber)
            .keyboardType(.phonePad)
            .autocorrectionDisabled()
        Toggle(Strings.landline, isOn: $entry.landline)
    }
}

private struct ConfirmStep: View {
    let model: MethodsModel
    let codes: CodesModel
    let instruction: String
    /// When this app is the method: the vault entry whose code confirms it.
    let entryId: String?
    @State private var code = ""

    var body: some View {
        Section {
            Text(instruction)
            if let entryId {
                AppCode(codes: codes, entryId: entryId)
            }
            CodeField(code: $code)
        }
        Button(Strings.confirm) {
            let code = self.code
            self.code = ""
            perform { await model.confirm(code) }
        }
        .disabled(code.isEmpty)
        Button(Strings.chooseAgain) { model.chooseAgain() }
    }
}

/// The code this app makes for `entryId` right now, as the codes screen shows it, refreshed
/// while shown.
private struct AppCode: View {
    let codes: CodesModel
    let entryId: String

    var body: some View {
        Observing(codes) { state in
            if let row = state.rows.first(where: { $0.entryId == entryId }) {
                Text(row.grouped).font(.system(.title, design: .monospaced)).accessibilityIdentifier("app-code")
            }
        }
        .task { await codes.run() }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
