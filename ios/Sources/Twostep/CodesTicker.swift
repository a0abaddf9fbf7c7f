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
/// for try await codes in CodesTicker(vault: vault).codes { rows = CodeRow.join(entries, codes) }
/// ```
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
        let vault = vault
        let interval = interval
        let wallClock = wallClock
        return AsyncThrowingStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let task = Task.detached(priority: .userInitiated) {
                do {
                    while !Task.isCancelled {
                        continuation.yield(try vault.codesNow())
                        let wait = Self.secondsUntilNextTick(now: wallClock(), interval: interval)
                        try await Task.sleep(nanoseconds: UInt64((wait * 1_000_000_000).rounded(.up)))
                    }
                    continuation.finish()
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// From `now` to the next whole `interval` since the epoch: in `(0, interval]`.
    static func secondsUntilNextTick(now: Date, interval: TimeInterval) -> TimeInterval {
        let elapsed = now.timeIntervalSince1970.truncatingRemainder(dividingBy: interval)
        return interval - (elapsed < 0 ? elapsed + interval : elapsed)
    }
}
