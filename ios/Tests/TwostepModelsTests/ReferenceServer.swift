// The real reference backend, `twostep serve --dev`, as a child process of the test run, and
// the sellers' devices on it: what the view-model stories run against. Nothing is mocked.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Twostep
import XCTest

/// `twostep serve --addr 127.0.0.1:0 --db <dir>/server.db --dev`: a free loopback port, a
/// fresh database, the dev outbox (SMS and voice codes readable through `devOutbox`) and the
/// dev clock. The binary is `TWOSTEP_BIN` (scripts/swift-test sets it).
final class ReferenceServer: @unchecked Sendable {
    let url: String
    let directory: URL
    private let process: Process
    private let log: URL

    static let startTimeout: TimeInterval = 30

    private init(process: Process, url: String, directory: URL, log: URL) {
        self.process = process
        self.url = url
        self.directory = directory
        self.log = log
    }

    static func start() throws -> ReferenceServer {
        guard let binary = ProcessInfo.processInfo.environment["TWOSTEP_BIN"], !binary.isEmpty,
              FileManager.default.isExecutableFile(atPath: binary)
        else {
            throw TestFailure(
                "no twostep binary to run the reference backend: set TWOSTEP_BIN (scripts/swift-test does) "
                    + "to a host build (`cargo build -p twostep`)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("twostep-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--addr", "127.0.0.1:0", "--db", directory.appendingPathComponent("server.db").path, "--dev"]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()

        // The first stdout line says where it listens. Read on a thread of its own that keeps
        // draining, so the server never blocks on a full pipe; waited for with a deadline.
        let listening = SetOnce()
        Thread.detachNewThread {
            let reader = stdout.fileHandleForReading
            var buffer = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                if let text = String(data: buffer, encoding: .utf8), let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                    listening.set(String(line.dropFirst("listening on ".count)).trimmingCharacters(in: .whitespaces))
                }
            }
            listening.set(nil)
        }
        guard let url = listening.wait(seconds: startTimeout) else {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            Self.stop(process)
            try? FileManager.default.removeItem(at: directory)
            throw TestFailure("twostep serve (\(binary)) did not say where it listens within \(Int(startTimeout)) s; its stderr:\n\(output)")
        }
        return ReferenceServer(process: process, url: url, directory: directory, log: log)
    }

    /// Stops the server (its pid: SIGTERM, then SIGKILL) and deletes its database.
    func stop() {
        Self.stop(process)
        try? FileManager.default.removeItem(at: directory)
    }

    /// What the server wrote to stderr, for a failure message.
    func serverLog() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "(no log)" }

    /// Moves the server's clock ahead (dev mode's `POST /v1/dev/clock`): a TOTP code just used
    /// is refused again in its step, so a story moves on to the next one. Clients follow on
    /// their next request (they correct their clock from the server's Date header).
    func advanceClock(seconds: Int) throws {
        var request = URLRequest(url: URL(string: "\(url)/v1/dev/clock")!, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data("{\"advance_seconds\": \(seconds)}".utf8)
        let answer = SetOnce()
        let task = URLSession.shared.dataTask(with: request) { _, response, error in
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if let error { answer.set("\(error)") } else { answer.set((200..<300).contains(status) ? "ok" : "HTTP \(status)") }
        }
        task.resume()
        let outcome = answer.wait(seconds: 15) ?? "no answer within 15 s"
        guard outcome == "ok" else { throw TestFailure("the dev clock did not move: \(outcome)") }
    }

    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        if !waitForExit(process, seconds: 5) {
            kill(pid, SIGKILL)
            _ = waitForExit(process, seconds: 5)
        }
    }

    private static func waitForExit(_ process: Process, seconds: TimeInterval) -> Bool {
        let deadline = Date() + seconds
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return !process.isRunning
    }
}

/// A value set once by one thread and awaited, with a deadline, by another.
final class SetOnce: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: String??

    func set(_ line: String?) {
        condition.lock()
        if value == nil { value = .some(line) }
        condition.broadcast()
        condition.unlock()
    }

    func wait(seconds: TimeInterval) -> String? {
        let deadline = Date() + seconds
        condition.lock()
        defer { condition.unlock() }
        while value == nil && condition.wait(until: deadline) {}
        return value ?? nil
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

let password = "correct horse battery"
let smsNumber = "+1 206 555 0100"

/// The seller app on a phone.
let phoneIdentity = ClientIdentity(kind: .app, appVersion: "4.2.0", userAgent: "Seller app 4.2.0 on iOS 18", platform: "ios")
/// A browser on a laptop.
let laptopIdentity = ClientIdentity(kind: .browser, appVersion: "128.0", userAgent: "Firefox 128 on Linux", platform: "web")

/// Devices and logins on the real reference backend: each device is a real client with its own
/// vault file (on the system clock, like the server's, so the vault's codes are the ones the
/// server expects). Used from the test's thread only.
final class Sellers: @unchecked Sendable {
    let server: ReferenceServer
    private var devices = 0

    init(server: ReferenceServer) {
        self.server = server
    }

    /// A new installation: its own vault file and device key.
    func device(_ identity: ClientIdentity) throws -> TwostepClient {
        let home = server.directory.appendingPathComponent("device-\(UUID().uuidString)")
        devices += 1
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let vault = try Vault.createWithPassphrase(path: home.appendingPathComponent("vault.sqlite").path, passphrase: "device \(devices)")
        return try TwostepClient(baseUrl: server.url, identity: identity, vault: vault)
    }

    private lazy var outboxReader: TwostepClient? = try? device(laptopIdentity)

    /// The newest SMS or voice code the backend "sent" for `email`'s login.
    func lastCode(_ email: String) throws -> String {
        guard let reader = outboxReader else { throw TestFailure("no client to read the dev outbox") }
        let messages = try blocking("reading the dev outbox") { try await reader.devOutbox(email: email) }
        guard let last = messages.last else { throw TestFailure("the backend sent no code to \(email)") }
        return last.code
    }

    /// A login with two-step verification on, enrolled on `phone` (which stays signed in): the
    /// authenticator app as primary (its seed in the phone's vault), SMS as backup. Returns the
    /// vault entry that makes its codes. The server's clock then moves one step on, so the
    /// enrolment's code is not the one a sign-in needs.
    func enrolled(_ phone: TwostepClient, email: String) throws -> String {
        let entry = try blocking("enrolling \(email)") { () async throws -> String in
            _ = try await phone.createLogin(email: email, password: password)
            _ = try await phone.signIn(email: email, password: password)
            let enrollment = try await phone.enroll(
                primary: .authenticatorApp, backup: .sms(phone: PhoneChoice(number: smsNumber, defaultCallingCode: nil, line: .mobile)))
            guard let entry = enrollment.authenticatorEntry?.id else { throw TestFailure("the enrolment made no app entry") }
            _ = try await phone.verifyMethod(role: .primary, code: try phone.code(entryId: entry))
            return entry
        }
        let backupCode = try lastCode(email)
        let status = try blocking("confirming the backup") { try await phone.verifyMethod(role: .backup, code: backupCode) }
        guard status.enabled else { throw TestFailure("two-step verification is not on after confirming both methods") }
        try server.advanceClock(seconds: 30)
        // One request, so the phone's clock follows the server's.
        _ = try blocking("a request to follow the clock") { try await phone.trustedDeviceCount() }
        return entry
    }
}

/// Runs async library calls from a synchronous test (setup, not the view models under test),
/// on a task of its own, waiting at most `seconds`.
func blocking<T: Sendable>(
    _ what: String, seconds: TimeInterval = 20, _ body: @escaping @Sendable () async throws -> T
) throws -> T {
    let box = ResultBox<T>()
    let task = Task.detached { box.set(await Result(catching: { try await body() })) }
    guard let result = box.wait(seconds: seconds) else {
        task.cancel()
        throw TestFailure("\(what) did not finish within \(Int(seconds)) s")
    }
    return try result.get()
}

final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<T, Error>?

    func set(_ result: Result<T, Error>) {
        condition.lock()
        self.result = result
        condition.broadcast()
        condition.unlock()
    }

    func wait(seconds: TimeInterval) -> Result<T, Error>? {
        let deadline = Date() + seconds
        condition.lock()
        defer { condition.unlock() }
        while result == nil && condition.wait(until: deadline) {}
        return result
    }
}

extension Result where Failure == Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
