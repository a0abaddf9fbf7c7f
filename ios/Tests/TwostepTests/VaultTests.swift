import Foundation
import Twostep
import XCTest

/// The vault as an app uses it from Swift: real files, key stores written in Swift.
final class VaultTests: XCTestCase {
    func testEntriesSurviveReopeningWithASwiftKeyStore() throws {
        let path = try temporaryVaultPath(for: self)
        let keyStore = PadKeyStore()
        let ids: [String] = try {
            let vault = try Vault.create(path: path, keyStore: keyStore)
            return try vault.addUris(uris: [totpUri("GitHub"), hotpUri("Bank")]).map(\.id)
        }()

        let vault = try Vault.open(path: path, keyStore: keyStore)
        XCTAssertEqual(try vault.list().map(\.issuer), ["GitHub", "Bank"])
        // RFC 6238 Appendix B, 6 digits: 94287082 → 287082 at t=59.
        XCTAssertEqual(try vault.code(id: ids[0], unixSeconds: 59), "287082")
        // RFC 4226 Appendix D, counter 0, and the counter moves on.
        XCTAssertEqual(try vault.view(id: ids[1], unixSeconds: 0).grouped, "755 224")
        XCTAssertEqual(try vault.list()[1].params.kind, .hotp(counter: 1))
        XCTAssertEqual(keyStore.wraps, 1, "wrapped once, at creation")
        XCTAssertEqual(keyStore.unwraps, 1, "unwrapped once per open")
    }

    func testAWrongKeyIsTheTypedSwiftErrorAndTheFileIsLeftAsItWas() throws {
        let path = try temporaryVaultPath(for: self)
        _ = try Vault.create(path: path, keyStore: PadKeyStore()).addUri(uri: totpUri("GitHub"))
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        // Another pad unwraps 32 wrong bytes without noticing: the core's canary catches it.
        XCTAssertThrowsError(try Vault.open(path: path, keyStore: PadKeyStore())) { error in
            XCTAssertEqual(error as? TwostepError, .WrongKey)
        }

        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    func testALockedKeyStoreIsUnavailableNotAWrongKey() throws {
        let path = try temporaryVaultPath(for: self)
        let keyStore = PadKeyStore()
        _ = try Vault.create(path: path, keyStore: keyStore)

        XCTAssertThrowsError(try Vault.open(path: path, keyStore: LockedKeyStore())) { error in
            XCTAssertEqual(error as? TwostepError, .KeyStoreUnavailable(reason: "device is locked"))
        }
        XCTAssertThrowsError(try Vault.open(path: path, keyStore: BuggyKeyStore())) { error in
            guard case TwostepError.KeyStoreUnavailable(let reason) = error else {
                return XCTFail("expected KeyStoreUnavailable, got \(error)")
            }
            XCTAssertTrue(reason.contains("KeyStoreBug"), reason)
        }
        XCTAssertEqual(try Vault.open(path: path, keyStore: keyStore).len(), 0)
    }

    func testAMissingVaultIsNotFoundAndOpeningCreatesNothing() throws {
        let path = try temporaryVaultPath(for: self)
        XCTAssertThrowsError(try Vault.open(path: path, keyStore: PadKeyStore())) { error in
            guard case TwostepError.NotFound(_) = error else { return XCTFail("expected NotFound, got \(error)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testTheErrorTextIsTheCores() throws {
        let path = try temporaryVaultPath(for: self)
        let vault = try Vault.create(path: path, keyStore: PadKeyStore())
        XCTAssertThrowsError(try vault.addUri(uri: totpUri("A", digits: 9))) { error in
            guard let error = error as? TwostepError, case .InvalidInput(let field, _) = error else {
                return XCTFail("expected InvalidInput, got \(error)")
            }
            XCTAssertEqual(field, "digits")
            XCTAssertTrue(error.description.hasPrefix("digits: "), error.description)
        }
        XCTAssertEqual(try vault.len(), 0)
    }
}
