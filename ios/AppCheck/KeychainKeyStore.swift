// The app's key store for the type-check only: the real KeychainKeyStore (Sources/Twostep) is
// compiled only where CryptoKit and Security exist. Same initializer the app calls.
import Foundation
import Twostep

final class KeychainKeyStore: KeyStore, @unchecked Sendable {
    init() {}
    func wrapKey(key: Data) throws -> Data { throw KeyStoreFailure.Unavailable(reason: "a stand-in") }
    func unwrapKey(wrapped: Data) throws -> Data { throw KeyStoreFailure.Unavailable(reason: "a stand-in") }
}
