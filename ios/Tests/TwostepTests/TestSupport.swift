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

/// A latch that, once open, stays open.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var opened = false

    var isOpen: Bool { condition.lock(); defer { condition.unlock() }; return opened }

    func open() {
        condition.lock()
        opened = true
        condition.broadcast()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        while !opened { condition.wait() }
        condition.unlock()
    }
}

/// A count that threads can wait on.
final class Counter: @unchecked Sendable {
    private let condition = NSCondition()
    private var value = 0

    func increment() {
        condition.lock()
        value += 1
        condition.broadcast()
        condition.unlock()
    }

    func awaitValue(atLeast target: Int) {
        condition.lock()
        while value < target { condition.wait() }
        condition.unlock()
    }
}

/// Another key store's unwrap, held back until `gate` opens, as a Keychain read can wait: a
/// vault call that blocks its thread for as long as the test wants.
final class WaitingKeyStore: KeyStore, @unchecked Sendable {
    private let inner: KeyStore
    private let gate: Gate
    private let arrivals = NSCondition()
    private var waiters = 0

    init(_ inner: KeyStore, gate: Gate) {
        self.inner = inner
        self.gate = gate
    }

    /// Blocks the caller until `count` unwraps are waiting at the gate.
    func awaitWaiters(atLeast count: Int) {
        arrivals.lock()
        while waiters < count { arrivals.wait() }
        arrivals.unlock()
    }

    func wrapKey(key: Data) throws -> Data { try inner.wrapKey(key: key) }

    func unwrapKey(wrapped: Data) throws -> Data {
        arrivals.lock()
        waiters += 1
        arrivals.broadcast()
        arrivals.unlock()
        gate.wait()
        return try inner.unwrapKey(wrapped: wrapped)
    }
}
