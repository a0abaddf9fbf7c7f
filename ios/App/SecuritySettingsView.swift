import SwiftUI
import Twostep
import TwostepModels

/// Advanced Security Settings: the login, its two methods, this device and the trusted
/// devices, "Require codes on all devices", and the lists behind them: the phones that approve
/// sign-ins (a lost one removed) and the devices that skip codes (one revoked). Fetched again
/// each time it is shown.
struct SecuritySettingsView: View {
    let model: SecuritySettingsModel

    var body: some View {
        Observing(model) { state in
            Form {
                NoticeText(text: state.notice)
                ErrorText(text: state.error)
                Section {
                    if let email = state.email { LabeledRow(label: Strings.email, value: email) }
                    if let primary = state.primary { LabeledRow(label: Strings.primary, value: primary.label) }
                    if let backup = state.backup { LabeledRow(label: Strings.backup, value: backup.label) }
                }
                Section {
                    LabeledRow(label: Strings.thisDevice, value: state.thisDevice).accessibilityIdentifier("this-device")
                    if let trusted = state.trustedDevicesLabel {
                        LabeledRow(label: Strings.trustedDevices, value: trusted).accessibilityIdentifier("trusted-devices")
                    }
                    Button(state.requireCodesLabel) { perform { await model.requireCodesOnAllDevices() } }
                }
                DeviceList(title: Strings.approvingPhones, rows: state.approvingPhones, action: Strings.remove) { id in
                    perform { await model.removePhone(id) }
                }
                DeviceList(title: Strings.skippingCodes, rows: state.trusted, action: Strings.revoke) { id in
                    perform { await model.revokeTrust(id) }
                }
            }
            .navigationTitle(Strings.securitySettings)
            .refreshable { await model.refresh() }
        }
        .task { await model.refresh() }
    }
}

private struct LabeledRow: View {
    let label: String
    let value: String

    var body: some View {
        VStack(alignment: .leading, spacing: 2) {
            Text(label).font(.caption).foregroundStyle(.secondary)
            Text(value)
        }
    }
}

/// The phones that approve sign-ins, or the devices that skip codes: each row as the core
/// words it, with its one action.
private struct DeviceList: View {
    let title: String
    let rows: [DeviceRow]
    let action: String
    let onAction: (String) -> Void

    var body: some View {
        if !rows.isEmpty {
            Section(title) {
                ForEach(rows, id: \.id) { row in
                    HStack {
                        VStack(alignment: .leading, spacing: 2) {
                            Text(row.title)
                            Text(row.thisDevice ? Strings.thisDevice(row.detail) : row.detail)
                                .font(.footnote).foregroundStyle(.secondary)
                        }
                        Spacer()
                        Button(action, role: .destructive) { onAction(row.id) }
                    }
                }
            }
        }
    }
}
