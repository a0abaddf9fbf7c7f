#if canImport(CryptoKit) && canImport(Security)
import CryptoKit
import Foundation
import Security
import Twostep
import XCTest

/// The Apple key stores: AES-256-GCM with CryptoKit, the key in memory or in the Keychain.
final class KeychainKeyStoreTests: XCTestCase {
    func testAVaultWrappedWithCryptoKitReopensWithItsKeyOnly() throws {
        let path = try temporaryVaultPath(for: self)
        let key = SymmetricKey(size: .bits256)
        _ = try Vault.create(path: path, keyStore: SymmetricKeyStore(key: key)).addUri(uri: totpUri("GitHub"))

        XCTAssertEqual(try Vault.open(path: path, keyStore: SymmetricKeyStore(key: key)).len(), 1)
        XCTAssertThrowsError(try Vault.open(path: path, keyStore: SymmetricKeyStore(key: SymmetricKey(size: .bits256)))) {
            XCTAssertEqual($0 as? TwostepError, .WrongKey, "GCM's tag refuses another key")
        }
    }

    func testTheWrappedFormIsNonceCiphertextTag() throws {
        let store = SymmetricKeyStore(key: SymmetricKey(size: .bits256))
        let dataKey = Data((0..<32).map { UInt8($0) })
        let wrapped = try store.wrapKey(key: dataKey)
        XCTAssertEqual(wrapped.count, 12 + 32 + 16)
        XCTAssertNotEqual(try store.wrapKey(key: dataKey), wrapped, "a fresh nonce each time")
        XCTAssertEqual(try store.unwrapKey(wrapped: wrapped), dataKey)
        XCTAssertThrowsError(try store.unwrapKey(wrapped: wrapped.prefix(20))) {
            XCTAssertEqual($0 as? KeyStoreFailure, .WrongKey)
        }
    }

    func testAVaultWithAKeychainKeyReopensAndAMissingKeyIsAWrongKey() throws {
        let path = try temporaryVaultPath(for: self)
        let service = "dev.twostep.tests.\(UUID().uuidString)"
        addTeardownBlock { Self.deleteKeychainItems(service: service) }
        let keyStore = KeychainKeyStore(service: service)

        do {
            _ = try Vault.create(path: path, keyStore: keyStore).addUri(uri: totpUri("GitHub"))
        } catch TwostepError.KeyStoreUnavailable(let reason) where reason.contains("OSStatus -34018") {
            // errSecMissingEntitlement: an unsigned test runner (swift test on macOS) has no
            // keychain access group. Run on the iOS simulator or from a signed host app.
            throw XCTSkip("the Keychain needs an entitlement here: \(reason)")
        }
        XCTAssertEqual(try Vault.open(path: path, keyStore: keyStore).len(), 1)

        Self.deleteKeychainItems(service: service)
        XCTAssertThrowsError(try Vault.open(path: path, keyStore: keyStore)) {
            XCTAssertEqual($0 as? TwostepError, .WrongKey, "no key: never a new one at open")
        }
    }

    private static func deleteKeychainItems(service: String) {
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecUseDataProtectionKeychain as String: true,
        ]
        SecItemDelete(query as CFDictionary)
    }
}
#endif
