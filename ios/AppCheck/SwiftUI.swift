// A stand-in for the part of SwiftUI the app in ios/App uses, for type-checking the app on
// Linux, where there is no SwiftUI (scripts/swift-test). Not a UI: every view is empty and
// nothing here runs. What it checks is the app's use of the view models and the core's types,
// and its concurrency, against the real TwostepModels and TwostepCore modules in Swift 6 mode.
// Only the shape those checks need: the SDK's argument labels and types, View and App on the
// main actor as in the iOS 18 SDK, @Binding's memberwise form, the result builders; but
// containers are functions and every modifier returns one empty view, so SwiftUI's own view
// types are not checked. A SwiftUI call the app starts using is added here as the SDK has it.
import UIKit
@_exported import Foundation

@MainActor @preconcurrency public protocol View { associatedtype Body: View; @ViewBuilder @MainActor var body: Body { get } }
extension Never: View { public var body: Never { fatalError() } }
public struct AnyV: View { public init() {}; public var body: Never { fatalError() } }

@resultBuilder public enum ViewBuilder {
    public static func buildExpression<V: View>(_ v: V) -> AnyV { AnyV() }
    public static func buildBlock() -> AnyV { AnyV() }
    public static func buildExpression(_ n: Never) -> Never { n }
    public static func buildBlock(_ n: Never) -> Never { n }
    public static func buildBlock(_ c: AnyV...) -> AnyV { AnyV() }
    public static func buildOptional(_ c: AnyV?) -> AnyV { AnyV() }
    public static func buildEither(first: AnyV) -> AnyV { AnyV() }
    public static func buildEither(second: AnyV) -> AnyV { AnyV() }
    public static func buildLimitedAvailability(_ c: AnyV) -> AnyV { AnyV() }
}

public protocol ShapeStyle {}
public struct Color: ShapeStyle, View { public var body: Never { fatalError() } }
public struct HierarchicalShapeStyle: ShapeStyle {}
public struct TintShapeStyle: ShapeStyle {}
public struct BackgroundStyle: ShapeStyle {}
extension ShapeStyle where Self == Color { public static var red: Color { Color() }; public static var orange: Color { Color() } }
extension ShapeStyle where Self == HierarchicalShapeStyle { public static var secondary: Self { .init() }; public static var quaternary: Self { .init() } }
extension ShapeStyle where Self == TintShapeStyle { public static var tint: Self { .init() } }
extension ShapeStyle where Self == BackgroundStyle { public static var background: Self { .init() } }

public struct Font {
    public enum TextStyle { case title, title2, caption, caption2, headline, subheadline, footnote, body }
    public enum Design { case monospaced, rounded }
    public enum Weight { case bold }
    public static func system(_ style: TextStyle, design: Design? = nil) -> Font { Font() }
    public static func system(size: Double, weight: Weight? = nil, design: Design? = nil) -> Font { Font() }
    public static var title: Font { Font() }; public static var caption: Font { Font() }; public static var caption2: Font { Font() }
    public static var headline: Font { Font() }; public static var subheadline: Font { Font() }; public static var footnote: Font { Font() }
    public func monospacedDigit() -> Font { self }
}
public enum TextAlignment { case center, leading }
public enum HorizontalAlignment { case leading, center }
public enum ButtonRole { case destructive, cancel }
public enum UIKeyboardType { case numberPad, emailAddress, phonePad }
public struct UITextContentType { public static let oneTimeCode = Self(), username = Self(), password = Self(), telephoneNumber = Self() }
public enum TextInputAutocapitalization { case never }
public struct Angle { public static func degrees(_ d: Double) -> Angle { Angle() } }
public struct StrokeStyle { public init(lineWidth: Double, lineCap: LineCap) {}; public enum LineCap { case round } }
public struct NavigationViewStyleKind { public static let stack = Self() }
public struct ListStyleKind { public static let plain = Self() }
public struct ButtonStyleKind { public static let bordered = Self(), borderedProminent = Self() }
public enum ToolbarItemPlacement { case cancellationAction, confirmationAction }

extension View {
    public func navigationTitle(_ s: String) -> AnyV { AnyV() }
    public func foregroundStyle<S: ShapeStyle>(_ s: S) -> AnyV { AnyV() }
    public func font(_ f: Font) -> AnyV { AnyV() }
    public func padding() -> AnyV { AnyV() }
    public func padding(_ e: VerticalEdge, _ l: Double) -> AnyV { AnyV() }
    public func accessibilityIdentifier(_ s: String) -> AnyV { AnyV() }
    public func accessibilityLabel(_ s: String) -> AnyV { AnyV() }
    public func disabled(_ b: Bool) -> AnyV { AnyV() }
    public func task(_ action: @escaping @MainActor @Sendable () async -> Void) -> AnyV { AnyV() }
    public func onAppear(perform: (() -> Void)? = nil) -> AnyV { AnyV() }
    public func onDisappear(perform: (() -> Void)? = nil) -> AnyV { AnyV() }
    public func refreshable(action: @escaping @Sendable () async -> Void) -> AnyV { AnyV() }
    public func toolbar<C: View>(@ViewBuilder content: () -> C) -> AnyV { AnyV() }
    public func sheet<C: View>(isPresented: Binding<Bool>, @ViewBuilder content: @escaping () -> C) -> AnyV { AnyV() }
    public func id<H: Hashable>(_ h: H) -> AnyV { AnyV() }
    public func navigationViewStyle(_ s: NavigationViewStyleKind) -> AnyV { AnyV() }
    public func listStyle(_ s: ListStyleKind) -> AnyV { AnyV() }
    public func buttonStyle(_ s: ButtonStyleKind) -> AnyV { AnyV() }
    public func tabItem<C: View>(@ViewBuilder _ label: () -> C) -> AnyV { AnyV() }
    public func tag<H: Hashable>(_ h: H) -> AnyV { AnyV() }
    public func onChange<V: Equatable>(of v: V, perform: @escaping (V) -> Void) -> AnyV { AnyV() }
    public func keyboardType(_ k: UIKeyboardType) -> AnyV { AnyV() }
    public func textContentType(_ t: UITextContentType?) -> AnyV { AnyV() }
    public func autocorrectionDisabled(_ b: Bool = true) -> AnyV { AnyV() }
    public func textInputAutocapitalization(_ t: TextInputAutocapitalization?) -> AnyV { AnyV() }
    public func frame(width: Double? = nil, height: Double? = nil) -> AnyV { AnyV() }
    public func multilineTextAlignment(_ a: TextAlignment) -> AnyV { AnyV() }
    public func overlay<C: View>(@ViewBuilder content: () -> C) -> AnyV { AnyV() }
    public func ignoresSafeArea() -> AnyV { AnyV() }
    public func rotationEffect(_ a: Angle) -> AnyV { AnyV() }
}
public enum VerticalEdge { case vertical }
public protocol Shape: View {}
extension Shape {
    public func stroke<S: ShapeStyle>(_ s: S, lineWidth: Double) -> AnyV { AnyV() }
    public func stroke<S: ShapeStyle>(_ s: S, style: StrokeStyle) -> AnyV { AnyV() }
    public func fill<S: ShapeStyle>(_ s: S) -> AnyV { AnyV() }
    public func trim(from: Double, to: Double) -> Circle { Circle() }
}
public struct Circle: Shape { public init() {}; public var body: Never { fatalError() } }
public struct Rectangle: Shape { public init() {}; public var body: Never { fatalError() } }

public struct Text: View { public init(_ s: String) {}; public var body: Never { fatalError() } }
public struct Button: View {
    public init(_ title: String, action: @escaping @MainActor () -> Void) {}
    public init(_ title: String, role: ButtonRole?, action: @escaping @MainActor () -> Void) {}
    public var body: Never { fatalError() }
}
public struct Container: View { public var body: Never { fatalError() } }
public func Form<C: View>(@ViewBuilder content: () -> C) -> Container { Container() }
public func List<C: View>(@ViewBuilder content: () -> C) -> Container { Container() }
public func Group<C: View>(@ViewBuilder content: () -> C) -> Container { Container() }
public func NavigationView<C: View>(@ViewBuilder content: () -> C) -> Container { Container() }
public func ZStack<C: View>(@ViewBuilder content: () -> C) -> Container { Container() }
public func HStack<C: View>(@ViewBuilder content: () -> C) -> Container { Container() }
public func VStack<C: View>(alignment: HorizontalAlignment = .center, spacing: Double? = nil, @ViewBuilder content: () -> C) -> Container { Container() }
public func Section<C: View>(@ViewBuilder content: () -> C) -> Container { Container() }
public func Section<C: View>(_ title: String, @ViewBuilder content: () -> C) -> Container { Container() }
public func Section<C: View, F: View>(@ViewBuilder content: () -> C, @ViewBuilder footer: () -> F) -> Container { Container() }
public func TabView<H: Hashable, C: View>(selection: Binding<H>, @ViewBuilder content: () -> C) -> Container { Container() }
public func Picker<H: Hashable, C: View>(_ title: String, selection: Binding<H>, @ViewBuilder content: () -> C) -> Container { Container() }
public func ForEach<D: RandomAccessCollection, ID: Hashable, C: View>(_ data: D, id: KeyPath<D.Element, ID>, @ViewBuilder content: @escaping (D.Element) -> C) -> Container { Container() }
public func Toggle(_ title: String, isOn: Binding<Bool>) -> Container { Container() }
public func TextField(_ title: String, text: Binding<String>) -> Container { Container() }
public func TextField(_ title: String, text: Binding<String>, prompt: Text?) -> Container { Container() }
public func SecureField(_ title: String, text: Binding<String>) -> Container { Container() }
public func ProgressView() -> Container { Container() }
public func Spacer() -> Container { Container() }
public func Label(_ title: String, systemImage: String) -> Container { Container() }
public func ToolbarItem<C: View>(placement: ToolbarItemPlacement, @ViewBuilder content: () -> C) -> Container { Container() }

@propertyWrapper public struct State<V> {
    public init(wrappedValue: V) {}
    public init(initialValue: V) {}
    public var wrappedValue: V { get { fatalError() } nonmutating set {} }
    public var projectedValue: Binding<V> { fatalError() }
}
@dynamicMemberLookup @propertyWrapper public struct Binding<V> {
    public init(get: @escaping () -> V, set: @escaping (V) -> Void) {}
    public var wrappedValue: V { get { fatalError() } nonmutating set {} }
    public var projectedValue: Binding<V> { self }
    public subscript<T>(dynamicMember k: WritableKeyPath<V, T>) -> Binding<T> { fatalError() }
}
public protocol ObservableObject: AnyObject {}
@propertyWrapper public struct Published<V> {
    public init(wrappedValue: V) {}
    public var wrappedValue: V { get { fatalError() } set {} }
}
@propertyWrapper public struct StateObject<O: ObservableObject> {
    public init(wrappedValue: @autoclosure @escaping () -> O) {}
    public var wrappedValue: O { fatalError() }
}
public struct DismissAction { @MainActor public func callAsFunction() {} }
public enum ScenePhase: Equatable { case active, inactive, background }
public struct EnvironmentValues { public var dismiss: DismissAction { fatalError() }; public var scenePhase: ScenePhase { fatalError() } }
@propertyWrapper public struct Environment<V> {
    public init(_ k: KeyPath<EnvironmentValues, V>) {}
    public var wrappedValue: V { fatalError() }
}
public protocol Scene {}
@resultBuilder public enum SceneBuilder { public static func buildBlock<S: Scene>(_ s: S) -> S { s } }
@MainActor @preconcurrency public protocol App { associatedtype Body: Scene; @SceneBuilder @MainActor var body: Body { get }; init() }
extension App { public static func main() {} }
public struct WindowGroup: Scene { public init<C: View>(@ViewBuilder content: () -> C) {} }
extension Scene { public func onChange<V: Equatable>(of v: V, perform: @escaping (V) -> Void) -> WindowGroup { fatalError() } }
@propertyWrapper public struct UIApplicationDelegateAdaptor<D: NSObject & UIApplicationDelegate> {
    public init(_ t: D.Type) {}
    public var wrappedValue: D { fatalError() }
}
