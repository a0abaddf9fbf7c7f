import SwiftUI
import Twostep
import TwostepModels

/// Signing in: the password, then the step the core says (a code, the backup's code, a push
/// to approve on the phone, signed in, or stopped). Every text but the labels is the state's.
struct SignInView: View {
    let model: SignInModel

    var body: some View {
        Observing(model) { state in
            Form {
                switch state.step {
                case .password(let email):
                    PasswordStep(model: model, email: email)
                case .code(let prompt):
                    CodeStep(model: model, prompt: prompt)
                case .pushWait(let wait):
                    Section {
                        Text(wait.instruction)
                        Text("\(wait.number)").font(.system(size: 56, weight: .bold, design: .rounded)).accessibilityIdentifier("number")
                    }
                    Button(Strings.useCodeInstead) { model.useCodeInstead() }
                case .enrollmentRequired(_, let message):
                    // The app moves on to enabling two-step verification.
                    Text(message)
                case .signedIn(let info):
                    Text(info.message).accessibilityIdentifier("signed-in")
                case .stopped(let message):
                    Text(message)
                    Button(Strings.startOver) { model.startOver() }
                }
                ErrorText(text: state.error)
            }
            .navigationTitle(Strings.signIn)
        }
    }
}

private struct PasswordStep: View {
    let model: SignInModel
    @State private var email: String
    @State private var password = ""

    init(model: SignInModel, email: String) {
        self.model = model
        _email = State(initialValue: email)
    }

    var body: some View {
        Section {
            TextField(Strings.email, text: $email)
                .textContentType(.username)
                .keyboardType(.emailAddress)
                .autocorrectionDisabled()
                .textInputAutocapitalization(.never)
            SecureField(Strings.password, text: $password)
                .textContentType(.password)
        }
        Button(Strings.signIn) {
            let (email, password) = (self.email, self.password)
            self.password = ""
            perform { await model.submitPassword(email: email, password: password) }
        }
        .disabled(email.isEmpty || password.isEmpty)
    }
}

private struct CodeStep: View {
    let model: SignInModel
    let prompt: CodePromptView
    @State private var code = ""
    @State private var rememberDevice = false

    var body: some View {
        if let lost = prompt.trustLostMessage {
            Text(lost).accessibilityIdentifier("trust-lost")
        }
        Section {
            Text(prompt.instruction).accessibilityIdentifier("instruction")
            CodeField(code: $code)
            Toggle(prompt.rememberDeviceLabel, isOn: $rememberDevice)
        }
        Button(Strings.verify) {
            let (code, remember) = (self.code, rememberDevice)
            self.code = ""
            perform { await model.submitCode(code, rememberDevice: remember) }
        }
        .disabled(code.isEmpty)
        if prompt.pushAvailable {
            Button(Strings.approveOnPhone) {
                let remember = rememberDevice
                perform { await model.approveOnPhone(rememberDevice: remember) }
            }
        }
        // "Didn't receive the code?", or account recovery after the backup: the core's words,
        // and the core's answer.
        Button(prompt.link) { perform { await model.didntReceiveCode() } }
    }
}
