// A stand-in for the UserNotifications declarations the app uses (see SwiftUI.swift here).
@_exported import Foundation
public struct UNAuthorizationOptions: OptionSet, Sendable { public let rawValue: Int; public init(rawValue: Int) { self.rawValue = rawValue }
    public static let alert = Self(rawValue: 1), sound = Self(rawValue: 2) }
public struct UNNotificationPresentationOptions: OptionSet, Sendable { public let rawValue: Int; public init(rawValue: Int) { self.rawValue = rawValue }
    public static let banner = Self(rawValue: 1), sound = Self(rawValue: 2) }
public final class UNNotification: @unchecked Sendable {}
public final class UNNotificationResponse: @unchecked Sendable {}
public protocol UNUserNotificationCenterDelegate: NSObjectProtocol {
    func userNotificationCenter(_ center: UNUserNotificationCenter, willPresent notification: UNNotification) async -> UNNotificationPresentationOptions
    func userNotificationCenter(_ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse) async
}
public final class UNUserNotificationCenter: @unchecked Sendable {
    public static func current() -> UNUserNotificationCenter { UNUserNotificationCenter() }
    public weak var delegate: UNUserNotificationCenterDelegate?
    public func requestAuthorization(options: UNAuthorizationOptions) async throws -> Bool { true }
}
