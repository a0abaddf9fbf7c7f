import Foundation
import Twostep

/// The code screen's state: the vault (opened once, off the main actor, its key in the
/// Keychain), its rows refreshed once a second while the screen is shown, and the HOTP codes
/// the user asked to see. Everything a row shows comes from the core.
@MainActor
final class CodesModel: ObservableObject {
    enum Phase: Equatable {
        case opening
        case ready
        /// The vault did not open; the text is the core's (it never holds a secret).
        case failed(String)
    }

    @Published private(set) var phase: Phase = .opening
    @Published private(set) var rows: [CodeRow] = []
    /// HOTP codes shown on request, by entry id: each one used up a counter step.
    @Published private(set) var revealed: [String: CodeView] = [:]
    @Published var notice: String?

    private var vault: AsyncVault?
    private var entries: [Entry] = []

    /// Opens the vault (first launch: creates it), then refreshes the rows until the calling
    /// task is cancelled: run it from the screen's `.task`.
    func run() async {
        do {
            let vault = try await openedVault()
            for try await codes in vault.codes() {
                rows = CodeRow.join(entries, codes)
            }
        } catch is CancellationError {
            // The screen went away.
        } catch {
            phase = .failed(Self.describe(error))
        }
    }

    /// Adds an account from its `otpauth://` link; returns the core's reason when it is refused.
    func add(uri: String) async -> String? {
        do {
            let vault = try await openedVault()
            _ = try await vault.addUri(uri)
            entries = try await vault.list()
            rows = CodeRow.join(entries, try await vault.codesNow())
            return nil
        } catch {
            return Self.describe(error)
        }
    }

    /// Shows an HOTP entry's next code (and so uses it).
    func reveal(id: String) async {
        do {
            let vault = try await openedVault()
            revealed[id] = try await vault.view(id: id)
            entries = try await vault.list()
        } catch {
            notice = Self.describe(error)
        }
    }

    private func openedVault() async throws -> AsyncVault {
        if let vault { return vault }
        let vault = try await AsyncVault.openOrCreate(path: try Self.vaultPath(), keyStore: KeychainKeyStore())
        entries = try await vault.list()
        self.vault = vault
        phase = .ready
        return vault
    }

    /// Application Support/Vault/vault.sqlite, the directory (with SQLite's -wal and -shm
    /// files) kept out of backups: its key stays in this device's Keychain, so a restored copy
    /// could not be opened anyway.
    private static func vaultPath() throws -> String {
        let support = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        var directory = support.appendingPathComponent("Vault", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try directory.setResourceValues(values)
        return directory.appendingPathComponent("vault.sqlite").path
    }

    /// The core's words for its errors (its Display text); anything else as the system says it.
    private static func describe(_ error: Error) -> String {
        (error as? TwostepError)?.description ?? error.localizedDescription
    }
}
