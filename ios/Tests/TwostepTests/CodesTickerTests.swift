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

    func testRefreshesAlignToWholeSecondsOfTheWallClock() {
        let wait = CodesTicker.secondsUntilNextTick(now: Date(timeIntervalSince1970: 1_700_000_000.25), interval: 1)
        XCTAssertEqual(wait, 0.75, accuracy: 1e-6)
        XCTAssertEqual(CodesTicker.secondsUntilNextTick(now: Date(timeIntervalSince1970: 1_700_000_000), interval: 1), 1)
        XCTAssertEqual(CodesTicker.secondsUntilNextTick(now: Date(timeIntervalSince1970: 1_700_000_007), interval: 5), 3, accuracy: 1e-6)
    }
}
