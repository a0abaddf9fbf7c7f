import Foundation
import Twostep
import XCTest

/// RFC 6238's SHA-1 seed "12345678901234567890" in base32.
let rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func totpUri(_ issuer: String, account: String = "ada", digits: Int = 6) -> String {
    "otpauth://totp/\(issuer):\(account)?secret=\(rfcSecret)&issuer=\(issuer)&digits=\(digits)"
}

func hotpUri(_ issuer: String, account: String = "ada", counter: UInt64 = 0) -> String {
    "otpauth://hotp/\(issuer):\(account)?secret=\(rfcSecret)&issuer=\(issuer)&counter=\(counter)"
}

func nowSeconds() -> UInt64 { UInt64(Date().timeIntervalSince1970) }

/// A fresh directory for one test's vault files, removed when the test ends.
func temporaryVaultPath(for test: XCTestCase) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twostep-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir.appendingPathComponent("vault.sqlite").path
}

/// A key store written in Swift that runs everywhere, Linux included: it XORs the vault key
/// with a pad it holds. Not a real key store (one pad for every wrap): it exists to drive the
/// foreign-trait path from Swift. A store with another pad unwraps a wrong key without
/// noticing, so it is the core's canary that must say `.WrongKey`.
final class PadKeyStore: KeyStore, @unchecked Sendable {
    let pad: [UInt8]
    private let counts = NSLock()
    private var wrapCount = 0
    private var unwrapCount = 0

    init(pad: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }) {
        self.pad = pad
    }

    var wraps: Int { counts.lock(); defer { counts.unlock() }; return wrapCount }
    var unwraps: Int { counts.lock(); defer { counts.unlock() }; return unwrapCount }

    func wrapKey(key: Data) throws -> Data {
        counts.lock(); wrapCount += 1; counts.unlock()
        return Data(zip(key, pad).map { $0 ^ $1 })
    }

    func unwrapKey(wrapped: Data) throws -> Data {
        counts.lock(); unwrapCount += 1; counts.unlock()
        guard wrapped.count == pad.count else { throw KeyStoreFailure.WrongKey }
        return Data(zip(wrapped, pad).map { $0 ^ $1 })
    }
}

/// A platform key store that cannot work right now, as on a locked phone.
final class LockedKeyStore: KeyStore, @unchecked Sendable {
    func wrapKey(key: Data) throws -> Data { throw KeyStoreFailure.Unavailable(reason: "device is locked") }
    func unwrapKey(wrapped: Data) throws -> Data { throw KeyStoreFailure.Unavailable(reason: "device is locked") }
}

struct KeyStoreBug: Error {}

/// A key store with a bug: it throws an error the trait does not declare.
final class BuggyKeyStore: KeyStore, @unchecked Sendable {
    func wrapKey(key: Data) throws -> Data { throw KeyStoreBug() }
    func unwrapKey(wrapped: Data) throws -> Data { throw KeyStoreBug() }
}
