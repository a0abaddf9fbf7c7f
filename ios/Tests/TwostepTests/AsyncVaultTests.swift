import Foundation
import Twostep
import XCTest

/// The Swift API over the vault: off the caller's thread, first launch, rows for a screen.
final class AsyncVaultTests: XCTestCase {
    func testTheFirstLaunchCreatesTheVaultAndLaterLaunchesOpenIt() async throws {
        let path = try temporaryVaultPath(for: self)
        let keyStore = PadKeyStore()

        let first = try await AsyncVault.openOrCreate(path: path, keyStore: keyStore)
        _ = try await first.addUri(totpUri("GitHub"))
        let again = try await AsyncVault.openOrCreate(path: path, keyStore: keyStore)

        let issuers = try await again.list().map(\.issuer)
        XCTAssertEqual(issuers, ["GitHub"])
        XCTAssertEqual(keyStore.wraps, 1, "created once")
    }

    func testADamagedVaultIsReportedAndNeverReplaced() async throws {
        let path = try temporaryVaultPath(for: self)
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: URL(fileURLWithPath: path))

        do {
            _ = try await AsyncVault.openOrCreate(path: path, keyStore: PadKeyStore())
            XCTFail("a damaged vault opened")
        } catch TwostepError.VaultDamaged(_) {
            // expected
        }

        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), garbage)
    }

    func testCodesLeaveHotpForAnExplicitView() async throws {
        let path = try temporaryVaultPath(for: self)
        let vault = try await AsyncVault.create(path: path, keyStore: PadKeyStore())
        _ = try await vault.addUri(totpUri("GitHub"))
        let bank = try await vault.addUri(hotpUri("Bank"))

        let entries = try await vault.list()
        let codes = try await vault.codesNow()
        XCTAssertEqual(codes.map(\.id), entries.map(\.id), "one code per entry, in the list's order")
        XCTAssertNotNil(codes[0].code)
        XCTAssertNil(codes[1].code, "showing an HOTP code would use it up")

        let view = try await vault.view(id: bank.id)
        XCTAssertEqual(view.code, "755224")
        let counter = try await vault.list()[1].params.kind
        XCTAssertEqual(counter, .hotp(counter: 1))
    }
}
