// The view models of the seller's app: one per core flow, each holding the flow object and
// publishing the flow's state, with one method per thing the seller does. They decide nothing:
// every text, rule and next step is in the state the core returns.
//
// They build wherever Swift does (no SwiftUI, UIKit or Combine; iOS 15 predates Observation),
// so they are tested on Linux against the real library and server. A screen observes a model
// with `observe(_:)` (the app's `Observed` turns that into SwiftUI's ObservableObject); tests
// read `state`.
//
// Threads: models live on the main actor. The flows' async calls are UniFFI async (awaiting
// them blocks no thread); a listener is called on a Rust thread and hops to the main actor; a
// sync call that can block (the vault: codes, links, and making the flows that read it, which
// `AppModel` does) runs on a serial dispatch queue, never on the main actor or the cooperative
// pool (`BlockingQueue`).
//
// Tests drive the models from synchronous XCTest methods that keep the main run loop turning
// (Tests/TwostepModelsTests/MainLoop.swift): a test that blocks the main thread while a model
// works never finishes, since the model's next step is a job on the main queue.

import Dispatch
import Twostep

/// The state a screen draws, and who hears when it changes.
@MainActor
public class StateModel<State: Sendable> {
    /// What the screen shows now.
    public private(set) var state: State
    private var observers: [@MainActor (State) -> Void] = []

    init(state: State) {
        self.state = state
    }

    /// Calls `observer` after every change, on the main actor, for as long as the model lives.
    public func observe(_ observer: @escaping @MainActor (State) -> Void) {
        observers.append(observer)
    }

    func publish(_ state: State) {
        self.state = state
        for observer in observers { observer(state) }
    }

    /// The flow's state now; a model whose flow has a listener overrides it.
    func latest() -> State { state }

    /// A listener's call, from a Rust thread: on the main actor, the flow's newest state is
    /// published (not the one heard: deliveries may reach the main actor after a newer action
    /// result).
    nonisolated func changed() {
        Task { @MainActor [weak self] in
            guard let self else { return }
            self.publish(self.latest())
        }
    }
}

/// A flow listener (any of the four generated listener protocols) telling a model its flow
/// changed. It holds the model weakly: the flow holds the listener.
final class Relay<State: Sendable>: Sendable {
    private let changed: @Sendable () -> Void

    init(_ model: StateModel<State>) {
        changed = { [weak model] in model?.changed() }
    }

    func onState(state: State) { changed() }
}

extension Relay: SignInListener where State == SignInState {}
extension Relay: MethodsListener where State == MethodsState {}
extension Relay: ApprovalsListener where State == ApprovalsState {}
extension Relay: SecuritySettingsListener where State == SecuritySettingsState {}

/// A serial queue for core calls that block (SQLite, the Keychain): the caller awaits, no
/// thread of Swift's cooperative pool waits.
struct BlockingQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    func run<T: Sendable>(_ call: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try call() }) }
        }
    }

    func run<T: Sendable>(_ call: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: call()) }
        }
    }
}
