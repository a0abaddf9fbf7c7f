// The vault's key store on Apple platforms. Guarded: CryptoKit and Security exist only there,
// and the package's non-UI part also builds and tests on Linux.
#if canImport(CryptoKit) && canImport(Security)
import CryptoKit
import Foundation
import Security
import TwostepCore

/// Wraps the vault's data key with AES-256-GCM (CryptoKit) under a key held in the Keychain.
///
/// Wrapped form: 12-byte nonce || ciphertext || 16-byte tag (`AES.GCM.SealedBox.combined`),
/// with a fixed associated data naming the purpose — the same layout as the Android key store.
/// The Keychain key is made at the first `wrapKey` (vault creation) and only read afterwards;
/// `unwrapKey` never makes one, so a vault whose key is gone reports `.WrongKey` instead of
/// being "opened" with a new key.
///
/// The key is a generic-password item, accessible after the first unlock (codes and push
/// approvals work while the phone is locked in a pocket) and on this device only: it never
/// goes into a backup. Keep the vault file out of backups too (`isExcludedFromBackup`), since
/// a restored vault could not be opened without it. On macOS the item lives in the data
/// protection keychain, which needs a signed app with a keychain access group.
///
/// Failures, as the core expects them (it leaves the vault file untouched in every case):
/// `.WrongKey` when the bytes were not wrapped by this key or there is no key; `.Unavailable`
/// when the Keychain cannot be read now (device locked before its first unlock) or fails.
///
/// Never `.Invalidated`, and why: what the Keychain invalidates for good is an item's access
/// control (an item made with `.biometryCurrentSet` after the enrolled faces or fingers
/// change, or a `…WhenPasscodeSetThisDeviceOnly` item after the passcode is removed). This item
/// has no access-control constraint and the `AfterFirstUnlock` class, so nothing the user
/// does to biometry or the passcode invalidates it. Apple documents no status code that means
/// "invalidated": such an item is reported missing (`errSecItemNotFound`, here `.WrongKey`,
/// like a key that was never made), and `errSecAuthFailed` and `errSecUserCanceled` are a
/// failed or cancelled prompt, which a retry can pass (`.Unavailable`). A key store that
/// protects its key with biometry must tell "invalidated" from "missing" itself (for example by
/// recording, in an unprotected item, that the protected one was made) and verify on a device
/// which status the OS returns then; nothing here could be verified without one.
public final class KeychainKeyStore: KeyStore, @unchecked Sendable {
    /// The Keychain item's service and account: one key for the app's vaults unless told otherwise.
    public let service: String
    public let account: String
    private let accessGroup: String?
    private let creation = NSLock()

    public init(service: String = "dev.twostep.vault-key", account: String = "default", accessGroup: String? = nil) {
        self.service = service
        self.account = account
        self.accessGroup = accessGroup
    }

    public func wrapKey(key: Data) throws -> Data {
        try AESGCMKeyWrap.wrap(key, with: try loadOrCreateKey())
    }

    public func unwrapKey(wrapped: Data) throws -> Data {
        guard let key = try loadKey() else { throw KeyStoreFailure.WrongKey }
        return try AESGCMKeyWrap.unwrap(wrapped, with: key)
    }

    private var itemQuery: [String: Any] {
        var query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
            kSecUseDataProtectionKeychain as String: true,
        ]
        if let accessGroup { query[kSecAttrAccessGroup as String] = accessGroup }
        return query
    }

    private func loadKey() throws -> SymmetricKey? {
        var query = itemQuery
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess:
            guard let data = item as? Data, data.count == 32 else {
                throw KeyStoreFailure.Unavailable(reason: "the Keychain item is not a 256-bit key")
            }
            return SymmetricKey(data: data)
        case errSecItemNotFound:
            return nil
        default:
            throw Self.failure(status)
        }
    }

    /// Makes the key once, even when two vaults are created at the same moment.
    private func loadOrCreateKey() throws -> SymmetricKey {
        creation.lock()
        defer { creation.unlock() }
        if let key = try loadKey() { return key }

        let key = SymmetricKey(size: .bits256)
        var attributes = itemQuery
        attributes[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        attributes[kSecValueData as String] = key.withUnsafeBytes { Data($0) }
        let status = SecItemAdd(attributes as CFDictionary, nil)
        switch status {
        case errSecSuccess:
            return key
        case errSecDuplicateItem:
            // Another process made it between our read and our write: use that one.
            if let existing = try loadKey() { return existing }
            throw Self.failure(status)
        default:
            throw Self.failure(status)
        }
    }

    /// A Keychain status as a one-line reason; the status number is kept for support and tests.
    static func failure(_ status: OSStatus) -> KeyStoreFailure {
        if status == errSecInteractionNotAllowed {
            return .Unavailable(reason: "the Keychain is locked until the device is first unlocked (OSStatus \(status))")
        }
        let message = SecCopyErrorMessageString(status, nil) as String? ?? "unknown error"
        return .Unavailable(reason: "Keychain: \(message) (OSStatus \(status))")
    }
}

/// Wraps the vault's data key with a CryptoKit key the app holds some other way (a key from
/// the Secure Enclave's key agreement, a test key…). Same wrapped form as `KeychainKeyStore`.
public final class SymmetricKeyStore: KeyStore, @unchecked Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        precondition(key.bitCount == 256, "AES-256 needs a 256-bit key")
        self.key = key
    }

    public func wrapKey(key: Data) throws -> Data { try AESGCMKeyWrap.wrap(key, with: self.key) }

    public func unwrapKey(wrapped: Data) throws -> Data { try AESGCMKeyWrap.unwrap(wrapped, with: key) }
}

/// AES-256-GCM key wrapping: nonce || ciphertext || tag, associated data naming the purpose.
enum AESGCMKeyWrap {
    static let associatedData = Data("twostep vault key v1".utf8)

    static func wrap(_ dataKey: Data, with key: SymmetricKey) throws -> Data {
        do {
            // A fresh random 12-byte nonce each time; `combined` is present for that size.
            guard let combined = try AES.GCM.seal(dataKey, using: key, authenticating: associatedData).combined else {
                throw KeyStoreFailure.Unavailable(reason: "AES-GCM gave no combined form")
            }
            return combined
        } catch let failure as KeyStoreFailure {
            throw failure
        } catch {
            throw KeyStoreFailure.Unavailable(reason: "AES-GCM sealing failed")
        }
    }

    /// Any failure to open is `.WrongKey`: a short or altered blob, or another key's.
    static func unwrap(_ wrapped: Data, with key: SymmetricKey) throws -> Data {
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            return try AES.GCM.open(box, using: key, authenticating: associatedData)
        } catch {
            throw KeyStoreFailure.WrongKey
        }
    }
}
#endif
