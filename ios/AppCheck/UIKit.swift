// A stand-in for the few UIKit declarations the app uses (see SwiftUI.swift here).
@_exported import Foundation
@MainActor public protocol UIApplicationDelegate: NSObjectProtocol {}
public struct UIBackgroundFetchResult { public static let newData = Self() }
@MainActor public final class UIApplication { public static let shared = UIApplication(); public func registerForRemoteNotifications() {}
    public struct LaunchOptionsKey: Hashable { public init() {} } }
@MainActor public final class UIDevice { public static let current = UIDevice(); public var systemVersion: String { "" } }
