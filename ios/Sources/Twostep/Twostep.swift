// The Swift API of the Rust core. It re-exports the generated bindings (TwostepCore), so an app
// writes `import Twostep` and gets both: Vault, codeAt, TwostepError… and the conveniences here.
//
// Nothing in this module decides anything. Validation, codes, grouping, countdowns and the
// text of errors are the core's; this module only moves calls off the caller's thread,
// refreshes a code screen, and keeps the vault key in the Keychain.
//
// - CodesTicker.swift:      the codes of every entry, once a second, as an AsyncThrowingStream
// - AsyncVault.swift:       the vault's blocking calls on a serial background queue
// - KeychainKeyStore.swift: the KeyStore on iOS/macOS (Keychain + CryptoKit AES-GCM)

@_exported import TwostepCore
