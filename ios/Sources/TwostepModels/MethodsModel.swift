import Twostep

/// Turning two-step verification on (`MethodsModel.enable`) or changing the methods
/// (`MethodsModel.change`): the core's `MethodsFlow`.
@MainActor
public final class MethodsModel: StateModel<MethodsState> {
    private let flow: MethodsFlow

    private init(flow: MethodsFlow) {
        self.flow = flow
        super.init(state: flow.state())
        flow.setListener(listener: Relay(self))
    }

    override func latest() -> MethodsState { flow.state() }

    public static func enable(client: TwostepClient) -> MethodsModel {
        MethodsModel(flow: .enable(client: client))
    }

    public static func change(client: TwostepClient, primary: MethodSummary, backup: MethodSummary) -> MethodsModel {
        MethodsModel(flow: .change(client: client, primary: primary, backup: backup))
    }

    /// The backups the core allows with `primary`, for the second picker.
    public func backupOptions(primary: MethodKind) -> [BackupOption] {
        flow.backupOptions(primary: primary)
    }

    public func proveWith(_ role: Role) async {
        publish(await flow.proveWith(role: role))
    }

    public func submitProof(_ code: String) {
        publish(flow.submitProof(code: code))
    }

    public func choose(primary: MethodChoice, backup: MethodChoice) async {
        publish(await flow.choose(primary: primary, backup: backup))
    }

    public func confirm(_ code: String) async {
        publish(await flow.confirm(code: code))
    }

    public func chooseAgain() {
        publish(flow.chooseAgain())
    }
}
