import Dispatch
import Foundation
import TwostepCore

/// Every entry's code, refreshed once per `interval`, for a code screen.
///
/// Each refresh is one `Vault.codesNow()` call, however many entries there are. Every value a
/// row shows (the code, its grouping, the seconds left, the next code) is the core's; the
/// ticker only decides when to ask. Refreshes are aligned to whole intervals of the wall clock
/// (…:00.000, …:01.000), the instants at which codes and countdowns change, so a countdown
/// never lags behind its code. HOTP rows carry no code and their counters are never touched.
///
/// ```swift
/// for try await codes in CodesTicker(vault: vault).codes { show(codes) }
/// ```
///
/// `codesNow()` blocks while another call holds the vault (a backup's key derivation, a large
/// import), so it runs on the ticker's own dispatch queue, never on Swift's cooperative thread
/// pool: a waiting ticker holds one dispatch thread, not one of the few threads every task of
/// the app shares.
///
/// The stream ends when the consuming task is cancelled or stops iterating; a failing call
/// ends it by throwing the core's `TwostepError`. A slow consumer sees only the newest list.
public struct CodesTicker: Sendable {
    public let vault: Vault
    public let interval: TimeInterval
    private let wallClock: @Sendable () -> Date

    /// - Parameters:
    ///   - interval: seconds between refreshes; more than zero.
    ///   - wallClock: the clock refreshes are aligned to; tests pass their own.
    public init(vault: Vault, interval: TimeInterval = 1, wallClock: @escaping @Sendable () -> Date = { Date() }) {
        precondition(interval > 0, "the interval must be positive")
        self.vault = vault
        self.interval = interval
        self.wallClock = wallClock
    }

    /// The codes now, then at every interval boundary.
    public var codes: AsyncThrowingStream<[EntryCode], Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: [EntryCode].self, throwing: Error.self, bufferingPolicy: .bufferingNewest(1))
        let loop = TickLoop(vault: vault, interval: interval, wallClock: wallClock, continuation: continuation)
        continuation.onTermination = { _ in loop.stop() }
        loop.start()
        return stream
    }

    /// From `now` to the next whole `interval` since the epoch: in `(0, interval]`.
    static func secondsUntilNextTick(now: Date, interval: TimeInterval) -> TimeInterval {
        let elapsed = now.timeIntervalSince1970.truncatingRemainder(dividingBy: interval)
        return interval - (elapsed < 0 ? elapsed + interval : elapsed)
    }
}

/// One stream's refreshes, on a serial queue of its own: call, yield, schedule the next one at
/// the next wall-clock boundary. Stopping takes effect before the next call.
private final class TickLoop: @unchecked Sendable {
    private let vault: Vault
    private let interval: TimeInterval
    private let wallClock: @Sendable () -> Date
    private let continuation: AsyncThrowingStream<[EntryCode], Error>.Continuation
    private let queue = DispatchQueue(label: "dev.twostep.codes-ticker", qos: .userInitiated)
    // Written by the stream's termination handler (any thread), read on `queue`.
    private let lock = NSLock()
    private var stopped = false

    init(
        vault: Vault, interval: TimeInterval, wallClock: @escaping @Sendable () -> Date,
        continuation: AsyncThrowingStream<[EntryCode], Error>.Continuation
    ) {
        self.vault = vault
        self.interval = interval
        self.wallClock = wallClock
        self.continuation = continuation
    }

    func start() {
        queue.async { self.tick() }
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func tick() {
        guard !isStopped else { return }
        do {
            continuation.yield(try vault.codesNow())
        } catch {
            continuation.finish(throwing: error)
            return
        }
        let wait = CodesTicker.secondsUntilNextTick(now: wallClock(), interval: interval)
        queue.asyncAfter(wallDeadline: .now() + wait) { self.tick() }
    }
}
