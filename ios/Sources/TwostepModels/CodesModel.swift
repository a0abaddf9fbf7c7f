import Foundation
import Twostep

/// The codes screen: the core's `CodesFlow`. Every call reads the vault (SQLite, maybe the
/// Keychain) and can block while a backup or import holds it, so each runs on the model's own
/// queue. `run()` refreshes once a second until its task is cancelled.
@MainActor
public final class CodesModel: StateModel<CodesState> {
    private let flow: CodesFlow
    private let queue = BlockingQueue(label: "dev.twostep.codes")
    /// The core's reason when a link or a removal is refused; nil after a success.
    public private(set) var error: String?
    /// A revealed HOTP code by entry id (HOTP codes are made on request only). A change is
    /// published with the state, so a screen observing the state redraws.
    public private(set) var revealed: [String: String] = [:]

    public convenience init(client: TwostepClient) {
        self.init(flow: CodesFlow(client: client))
    }

    /// Empty until the first `refresh()`, which reads the vault off the main actor.
    init(flow: CodesFlow) {
        self.flow = flow
        super.init(state: CodesState(rows: [], clockNote: nil, emptyMessage: nil, damaged: []))
    }

    /// Reads the codes now.
    public func refresh() async {
        let flow = self.flow
        publish(await queue.run { flow.codesNow() })
    }

    /// Refreshes at every whole second until the calling task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            await refresh()
            // To the next whole wall-clock second, when codes and countdowns change.
            let now = Date().timeIntervalSince1970
            let wait = max(0.001, now.rounded(.down) + 1 - now)
            try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
        }
    }

    /// "Add an account" from an `otpauth://` link.
    public func addLink(_ link: String) async {
        await act { try $0.addLink(link: link) }
    }

    public func removeDamaged(_ entryId: String) async {
        await act { try $0.removeDamaged(entryId: entryId) }
    }

    public func reveal(_ entryId: String) async {
        let flow = self.flow
        do {
            revealed[entryId] = try await queue.run { try flow.hotpCode(entryId: entryId) }
            error = nil
            publish(state)
        } catch {
            self.error = Self.describe(error)
            publish(state)
        }
    }

    private func act(_ call: @escaping @Sendable (CodesFlow) throws -> CodesState) async {
        let flow = self.flow
        do {
            let next = try await queue.run { try call(flow) }
            error = nil
            publish(next)
        } catch {
            self.error = Self.describe(error)
            publish(state)
        }
    }

    /// The core's reason, as it wrote it.
    static func describe(_ error: Error) -> String {
        if case let TwostepError.InvalidInput(_, reason) = error { return reason }
        return String(describing: error)
    }
}
