import Foundation
import Twostep
import TwostepModels
import XCTest

/// The view models built over the real library with no server reachable: what the seller sees
/// before any network answer. The server-backed stories are in SignInStoriesTests.
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
}
