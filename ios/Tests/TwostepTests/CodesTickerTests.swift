import Foundation
@testable import Twostep
import XCTest

/// The code screen's refresh: a real vault, real codes, real seconds.
final class CodesTickerTests: XCTestCase {
    func testATickShowsTheCoresCurrentCodeGroupedWithItsCountdown() async throws {
        let path = try temporaryVaultPath(for: self)
        let vault = try Vault.create(path: path, keyStore: PadKeyStore())
        let uri = totpUri("GitHub")
        _ = try vault.addUri(uri: uri)

        let before = nowSeconds()
        var first: [EntryCode]?
        for try await codes in CodesTicker(vault: vault).codes {
            first = codes
            break
        }
        let after = nowSeconds()

        let view = try XCTUnwrap(first?.first?.code)
        let expected = [try codeFromUri(uri: uri, unixSeconds: before), try codeFromUri(uri: uri, unixSeconds: after)]
        XCTAssertTrue(expected.contains(view.code), view.code)
        XCTAssertEqual(view.grouped, groupCode(code: view.code))
        XCTAssertTrue((1...30).contains(try XCTUnwrap(view.timing).secondsLeft))
    }

    func testASecondLaterTheCountdownHasMovedOn() async throws {
        let path = try temporaryVaultPath(for: self)
        let vault = try Vault.create(path: path, keyStore: PadKeyStore())
        _ = try vault.addUri(uri: totpUri("GitHub"))

        var seen: [CodeView] = []
        for try await codes in CodesTicker(vault: vault).codes {
            let view = try XCTUnwrap(codes.first?.code)
            if seen.last != view { seen.append(view) }
            if seen.count == 2 { break }
        }

        let was = try XCTUnwrap(seen[0].timing)
        let now = try XCTUnwrap(seen[1].timing)
        if was.secondsLeft > 1 {
            XCTAssertEqual(now.secondsLeft, was.secondsLeft - 1)
        } else {
            XCTAssertEqual(now.secondsLeft, 30, "a new period starts")
            XCTAssertEqual(seen[1].code, was.nextCode, "the next code has come")
        }
    }

    func testHotpRowsCarryNoCodeAndKeepTheirCounter() async throws {
        let path = try temporaryVaultPath(for: self)
        let vault = try Vault.create(path: path, keyStore: PadKeyStore())
        _ = try vault.addUri(uri: hotpUri("Bank"))

        for try await codes in CodesTicker(vault: vault).codes {
            XCTAssertNil(codes.first?.code)
            break
        }
        XCTAssertEqual(try vault.list()[0].params.kind, .hotp(counter: 0))
    }

    /// Blocking vault calls made on Swift's cooperative threads (here: opens whose key store
    /// waits, as a Keychain read can) hold every one of them. The ticker's refreshes must not
    /// need one: they go on while those calls wait. Each refresh reads the ticker's wall clock
    /// once, after its `codesNow()`; the waiting calls are let go after 10 s at the latest, so
    /// a ticker that needs a cooperative thread fails here instead of hanging. (Receiving from
    /// the stream needs a cooperative thread in Swift 6.0 whatever the ticker does, so the test
    /// counts refreshes, not received lists.)
    func testTheTickerRefreshesWhileBlockingCallsHoldEveryCooperativeThread() throws {
        let path = try temporaryVaultPath(for: self)
        let vault = try Vault.create(path: path, keyStore: PadKeyStore())
        _ = try vault.addUri(uri: totpUri("GitHub"))
        let otherPath = try temporaryVaultPath(for: self)
        let otherKeyStore = PadKeyStore()
        _ = try Vault.create(path: otherPath, keyStore: otherKeyStore)

        let gate = Gate()
        defer { gate.open() }
        let waiting = WaitingKeyStore(otherKeyStore, gate: gate)
        // At every priority (each has threads of its own), more callers than there are cores.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let priorities: [TaskPriority] = [.high, .medium, .low, .background]
        for priority in priorities {
            for _ in 0..<(4 * cores) {
                Task.detached(priority: priority) { _ = try? Vault.open(path: otherPath, keyStore: waiting) }
            }
        }
        waiting.awaitWaiters(atLeast: cores)
        DispatchQueue.global().asyncAfter(deadline: .now() + 10) { gate.open() }

        let refreshes = Counter()
        let stream = CodesTicker(vault: vault, wallClock: { refreshes.increment(); return Date() }).codes
        refreshes.awaitValue(atLeast: 2)
        XCTAssertFalse(gate.isOpen, "the ticker refreshed only once the blocking calls were let go")
        withExtendedLifetime(stream) {}
    }

    func testRefreshesAlignToWholeSecondsOfTheWallClock() {
        let wait = CodesTicker.secondsUntilNextTick(now: Date(timeIntervalSince1970: 1_700_000_000.25), interval: 1)
        XCTAssertEqual(wait, 0.75, accuracy: 1e-6)
        XCTAssertEqual(CodesTicker.secondsUntilNextTick(now: Date(timeIntervalSince1970: 1_700_000_000), interval: 1), 1)
        XCTAssertEqual(CodesTicker.secondsUntilNextTick(now: Date(timeIntervalSince1970: 1_700_000_007), interval: 5), 3, accuracy: 1e-6)
    }
}
