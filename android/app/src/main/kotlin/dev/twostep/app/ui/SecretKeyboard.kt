package dev.twostep.app.ui

import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.ui.text.input.KeyboardType

/**
 * The keyboard for every field that takes a secret (a password, a one-time code, an
 * `otpauth://` link with its seed): no autocorrect, no suggestions, nothing the keyboard learns
 * and offers again later. Such fields keep their text with `remember`, never `rememberSaveable`.
 */
val SecretKeyboard = KeyboardOptions(autoCorrectEnabled = false, keyboardType = KeyboardType.Password)
