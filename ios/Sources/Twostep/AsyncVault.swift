import Dispatch
import Foundation
import TwostepCore

/// A `Vault` for async code: each call runs on a serial background queue, so neither the main
/// actor nor Swift's cooperative threads wait on SQLite, the Keychain or Argon2, and calls
/// through one `AsyncVault` happen in the order they were made.
///
/// Errors are the core's `TwostepError`s, thrown from the awaited call. The vault closes when
/// the last reference to it goes away (Swift frees UniFFI objects on deinit).
public final class AsyncVault: @unchecked Sendable {
    /// The vault underneath, for a call this class does not wrap. Its calls block.
    public let vault: Vault
    private let queue: DispatchQueue

    private init(vault: Vault, queue: DispatchQueue) {
        self.vault = vault
        self.queue = queue
    }

    /// Opens the vault at `path` with `keyStore`. A wrong key (`.WrongKey`), a damaged or newer
    /// file are reported and leave the file as it was.
    public static func open(path: String, keyStore: KeyStore) async throws -> AsyncVault {
        try await opening { try Vault.open(path: path, keyStore: keyStore) }
    }

    /// Creates a new, empty vault at `path`; an existing file is refused (`.AlreadyExists`).
    public static func create(path: String, keyStore: KeyStore) async throws -> AsyncVault {
        try await opening { try Vault.create(path: path, keyStore: keyStore) }
    }

    /// The app's first-launch convenience: opens the vault at `path`, or creates it when there
    /// is none (`.NotFound`). Any other failure is thrown as it is: a damaged or locked vault is
    /// never replaced, and `create` itself refuses an existing file.
    public static func openOrCreate(path: String, keyStore: KeyStore) async throws -> AsyncVault {
        try await opening {
            do {
                return try Vault.open(path: path, keyStore: keyStore)
            } catch TwostepError.NotFound(_) {
                return try Vault.create(path: path, keyStore: keyStore)
            }
        }
    }

    /// Every entry in the user's order, without secrets.
    public func list() async throws -> [Entry] { try await run { try $0.list() } }

    /// Adds the credential an `otpauth://` URI describes, at the end of the list.
    public func addUri(_ uri: String) async throws -> Entry { try await run { try $0.addUri(uri: uri) } }

    /// Adds many URIs, all or none; a refused one names its place (`"line 3: secret"`).
    public func addUris(_ uris: [String]) async throws -> [Entry] { try await run { try $0.addUris(uris: uris) } }

    /// Imports a text file of `otpauth://` URIs, one per line, all or none.
    public func importUriList(_ text: String) async throws -> [Entry] {
        try await run { try $0.importUriList(text: text) }
    }

    public func rename(id: String, issuer: String, account: String) async throws -> Entry {
        try await run { try $0.rename(id: id, issuer: issuer, account: account) }
    }

    /// Puts the entries in the order of `ids`, which must name every entry once.
    public func reorder(_ ids: [String]) async throws { try await run { try $0.reorder(ids: ids) } }

    public func remove(id: String) async throws -> Entry { try await run { try $0.remove(id: id) } }

    /// One entry's code, grouped, with its countdown. For HOTP this uses the code: the counter
    /// moves on and is saved before the code is returned.
    public func view(id: String, at date: Date = Date()) async throws -> CodeView {
        try await run { try $0.view(id: id, unixSeconds: Self.unixSeconds(date)) }
    }

    /// Every entry's code now, once: one call (HOTP entries carry none: showing one uses it up).
    /// For a screen that refreshes itself, `codes()`.
    public func codesNow() async throws -> [EntryCode] { try await run { try $0.codesNow() } }

    /// Every entry's code once per `interval`: see `CodesTicker`.
    public func codes(interval: TimeInterval = 1) -> AsyncThrowingStream<[EntryCode], Error> {
        CodesTicker(vault: vault, interval: interval).codes
    }

    private func run<T>(_ call: @escaping @Sendable (Vault) throws -> T) async throws -> T {
        let vault = vault
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try call(vault) }) }
        }
    }

    private static func opening(_ open: @escaping @Sendable () throws -> Vault) async throws -> AsyncVault {
        let queue = DispatchQueue(label: "dev.twostep.vault", qos: .userInitiated)
        let vault: Vault = try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try open() }) }
        }
        return AsyncVault(vault: vault, queue: queue)
    }

    private static func unixSeconds(_ date: Date) -> UInt64 {
        UInt64(max(0, date.timeIntervalSince1970.rounded(.down)))
    }
}
