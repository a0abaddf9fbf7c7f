// Driving the main-actor view models from synchronous XCTest methods, with every wait bounded.
//
// Why synchronous tests that spin the main run loop: the models live on the main actor, and
// everything they do after an await (an action's result, a listener's change) is a job on the
// main queue. XCTest runs a synchronous test on the main thread, so the test itself must keep
// that queue served while it waits. Blocking the main thread instead (a semaphore, a condition,
// `Task { … }.value` from synchronous code) never returns: the model's job waits for the very
// thread that waits for it. That is what made the first server-backed tests hang on Linux; a
// five-line experiment showed it (a semaphore wait around `SignInModel.submitPassword` timed out
// with the model still at the password step, while the same call awaited from a spinning main
// thread, or from an async test, finished in 0.1 s). Spinning `RunLoop.main` serves the main
// queue on Linux and Apple platforms alike, and a deadline checked on every turn means no wait
// can stall the suite: it fails the test with what the model showed.

import Foundation
import Twostep
import TwostepModels
import XCTest

/// How long one action or one wait may take. Real HTTP on loopback answers in milliseconds and
/// a push is polled once a second; a margin for a loaded 2-core machine.
let deadlineSeconds: TimeInterval = 20

/// Runs `body` on the main actor: XCTest calls synchronous tests on the main thread.
func onMain(_ body: @MainActor () throws -> Void) rethrows {
    try MainActor.assumeIsolated(body)
}

/// Serves the main queue until `done()` or the deadline; true when `done()`.
@MainActor
func spin(seconds: TimeInterval = deadlineSeconds, until done: () -> Bool) -> Bool {
    let deadline = Date() + seconds
    while !done() {
        if Date() >= deadline { return false }
        _ = RunLoop.main.run(mode: .default, before: min(deadline, Date() + 0.01))
    }
    return true
}

/// One thing the seller does (an async model method), awaited on the main actor while the main
/// queue is served. Fails the test, showing the model's state, when it takes too long.
@MainActor
func act<State: Sendable>(
    _ model: StateModel<State>, _ what: String, file: StaticString = #filePath, line: UInt = #line,
    _ action: @escaping @MainActor () async -> Void
) throws -> State {
    var finished = false
    Task { @MainActor in
        await action()
        finished = true
    }
    guard spin(until: { finished }) else {
        XCTFail("\(what) did not finish within \(Int(deadlineSeconds)) s; the model shows \(model.state)", file: file, line: line)
        throw TestFailure("\(what) timed out")
    }
    return model.state
}

/// Waits for a change the model hears on its own (a push answered on the phone, through the
/// flow's listener) until `condition` holds. Fails the test with the model's last state.
@MainActor
@discardableResult
func waitUntil<State: Sendable>(
    _ model: StateModel<State>, _ what: String, file: StaticString = #filePath, line: UInt = #line,
    _ condition: (State) -> Bool
) throws -> State {
    guard spin(until: { condition(model.state) }) else {
        XCTFail("the model never showed \(what) within \(Int(deadlineSeconds)) s; it shows \(model.state)", file: file, line: line)
        throw TestFailure("waiting for \(what) timed out")
    }
    return model.state
}

/// The app's root model, made as the app makes it (its flows off the main actor).
@MainActor
func openApp(_ client: TwostepClient, file: StaticString = #filePath, line: UInt = #line) throws -> AppModel {
    var app: AppModel?
    Task { @MainActor in app = await AppModel.open(client: client) }
    guard spin(until: { app != nil }), let app else {
        XCTFail("the app did not open within \(Int(deadlineSeconds)) s", file: file, line: line)
        throw TestFailure("opening the app timed out")
    }
    return app
}
