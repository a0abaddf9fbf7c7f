import Foundation
import Twostep
import TwostepModels
import XCTest

/// The view models built over the real library with no server reachable: what the seller sees
/// before any network answer. The server-backed stories are in SellerStoriesTests.
final class ModelsOfflineTests: XCTestCase {
    private func vaultPath() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twostep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.appendingPathComponent("vault.sqlite").path
    }

    /// XCTest runs synchronous tests on the main thread, where the models live.
    func testSignInStartsAtThePasswordStep() throws {
        let vault = try Vault.createWithPassphrase(path: try vaultPath(), passphrase: "offline test")
        let identity = ClientIdentity(kind: .app, appVersion: "1.0", userAgent: "Seller app 1.0 on iOS", platform: "ios")
        let client = try TwostepClient(baseUrl: "http://127.0.0.1:9", identity: identity, vault: vault)
        MainActor.assumeIsolated {
            let model = SignInModel(client: client)
            guard case .password(let email) = model.state.step else {
                return XCTFail("expected the password step, got \(model.state.step)")
            }
            XCTAssertEqual(email, "")
            XCTAssertNil(model.state.error)
        }
    }

    /// The app's start: the first launch makes the vault, the next opens it with the same key,
    /// and a key store holding another key is refused with the core's error and replaces
    /// nothing: the right key still opens the same installation.
    func testTheAppMakesItsVaultAtTheFirstLaunchAndNeverReplacesIt() throws {
        let path = try vaultPath()
        let keyStore = PadKeyStore()
        try onMain {
            let first = try launch(path: path, keyStore: keyStore)
            XCTAssertEqual(first.state, .signIn)
            XCTAssertTrue(FileManager.default.fileExists(atPath: path))
            let installation = first.client.deviceId()
            XCTAssertEqual(try launch(path: path, keyStore: keyStore).client.deviceId(), installation)

            XCTAssertThrowsError(try launch(path: path, keyStore: PadKeyStore())) { error in
                XCTAssertEqual(error as? TwostepError, .WrongKey)
            }
            XCTAssertEqual(try launch(path: path, keyStore: keyStore).client.deviceId(), installation, "nothing was replaced")
        }
    }
}

/// The app as it starts: `AppModel.open` with a vault path and a key store.
@MainActor
func launch(path: String, keyStore: KeyStore) throws -> AppModel {
    var outcome: Result<AppModel, Error>?
    Task { @MainActor in
        do {
            outcome = .success(try await AppModel.open(
                baseUrl: "http://127.0.0.1:9", identity: phoneIdentity, vaultPath: path, keyStore: keyStore))
        } catch {
            outcome = .failure(error)
        }
    }
    guard spin(until: { outcome != nil }), let outcome else { throw TestFailure("the app did not open in time") }
    return try outcome.get()
}

/// A key store written in Swift that runs everywhere: it XORs the vault key with a random pad.
/// Not a real key store; another pad unwraps a wrong key without noticing, which the core's
/// canary must catch.
final class PadKeyStore: KeyStore, @unchecked Sendable {
    private let pad: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }

    func wrapKey(key: Data) throws -> Data { Data(zip(key, pad).map { $0 ^ $1 }) }

    func unwrapKey(wrapped: Data) throws -> Data {
        guard wrapped.count == pad.count else { throw KeyStoreFailure.WrongKey }
        return Data(zip(wrapped, pad).map { $0 ^ $1 })
    }
}
