import Foundation
import Twostep
import TwostepModels
import XCTest

/// "Now" as the test says, for the client's every rule and code.
final class TestClock: TwostepCore.Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: UInt64

    init(_ now: UInt64) { self.now = now }

    func advance(_ seconds: UInt64) {
        lock.lock()
        now += seconds
        lock.unlock()
    }

    func nowUnixSeconds() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return now
    }
}

/// The codes screen's model on the real library and vault, at instants the test fixes: the
/// RFC 6238 and 4226 vectors (SHA-1 seed "12345678901234567890"), grouped as the screen shows
/// them. No backend: the client never talks to one, so its clock is the test's exactly.
final class CodesModelTests: XCTestCase {
    /// RFC 6238's T = 1111111109 (code 07081804) lies in the step starting at 1111111080; ten
    /// seconds before the step ends.
    private let start: UInt64 = 1_111_111_100

    private func model(clock: TestClock) throws -> CodesModel {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twostep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let vault = try Vault.createWithPassphrase(path: dir.appendingPathComponent("vault.sqlite").path, passphrase: "codes test")
        let client = try TwostepClient(baseUrl: "http://127.0.0.1:9", identity: phoneIdentity, vault: vault, clock: clock)
        return MainActor.assumeIsolated { CodesModel(client: client) }
    }

    func testCodesCountDownOnTheClockAndTheNextCodeComes() throws {
        let clock = TestClock(start)
        let codes = try model(clock: clock)
        try onMain {
            let empty = try act(codes, "the first refresh") { await codes.refresh() }
            XCTAssertTrue(empty.rows.isEmpty)
            XCTAssertEqual(empty.emptyMessage, "No accounts yet. Add one with its otpauth:// link or QR code.")

            let added = try act(codes, "adding a link") {
                await codes.addLink("otpauth://totp/Example:ada?secret=\(rfcSecret)&issuer=Example")
            }
            XCTAssertNil(codes.error)
            let row = try XCTUnwrap(added.rows.first, "\(added)")
            XCTAssertEqual(row.issuer, "Example")
            XCTAssertEqual(row.account, "ada")
            XCTAssertEqual(row.grouped, "081 804")
            XCTAssertEqual(row.secondsLeft, 10)
            XCTAssertNil(row.nextGrouped, "the next code comes only near the change")
            XCTAssertNil(added.emptyMessage)

            clock.advance(1)
            let later = try act(codes, "a refresh a second later") { await codes.refresh() }
            XCTAssertEqual(later.rows.first?.grouped, "081 804")
            XCTAssertEqual(later.rows.first?.secondsLeft, 9)

            // In the period's last seconds the code that comes next shows too.
            clock.advance(7)
            let near = try act(codes, "a refresh two seconds before the change") { await codes.refresh() }
            XCTAssertEqual(near.rows.first?.secondsLeft, 2)
            XCTAssertEqual(near.rows.first?.nextGrouped, "050 471")

            clock.advance(2)
            let next = try act(codes, "a refresh in the next step") { await codes.refresh() }
            XCTAssertEqual(next.rows.first?.grouped, "050 471", "RFC 6238's T = 1111111111")
            XCTAssertEqual(next.rows.first?.secondsLeft, 30)
        }
    }

    func testABadLinkIsRefusedWithTheCoresReasonAndChangesNothing() throws {
        let codes = try model(clock: TestClock(start))
        try onMain {
            _ = try act(codes, "adding a link") {
                await codes.addLink("otpauth://totp/Example:ada?secret=\(rfcSecret)&issuer=Example")
            }
            let refused = try act(codes, "adding a bad link") {
                await codes.addLink("otpauth://totp/Example:bob?secret=not*base32")
            }
            let error = try XCTUnwrap(codes.error)
            XCTAssertTrue(error.hasPrefix("This link can't be added:"), error)
            XCTAssertFalse(error.contains("not*base32"), "the link is never quoted")
            XCTAssertEqual(refused.rows.map(\.account), ["ada"])
        }
    }

    func testAnHotpCodeIsMadeOnlyWhenAskedAndEachAskUsesOne() throws {
        let codes = try model(clock: TestClock(start))
        try onMain {
            let added = try act(codes, "adding an HOTP link") {
                await codes.addLink("otpauth://hotp/Bank:ada?secret=\(rfcSecret)&issuer=Bank&counter=0")
            }
            let row = try XCTUnwrap(added.rows.first)
            XCTAssertFalse(row.timeBased)
            XCTAssertEqual(row.grouped, "Tap for a code")
            XCTAssertNil(codes.revealed[row.entryId])

            _ = try act(codes, "showing a code") { await codes.reveal(row.entryId) }
            XCTAssertEqual(codes.revealed[row.entryId], "755 224", "RFC 4226, counter 0")
            _ = try act(codes, "showing the next code") { await codes.reveal(row.entryId) }
            XCTAssertEqual(codes.revealed[row.entryId], "287 082", "RFC 4226, counter 1")
        }
    }
}

/// RFC 6238's SHA-1 seed "12345678901234567890" in base32.
let rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
