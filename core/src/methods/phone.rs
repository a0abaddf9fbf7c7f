//! Phone numbers for SMS and voice codes: reading what a person types into E.164
//! (`+12065550100`), the form the rules compare ("the same telephone number can never be both")
//! and the gateway dials, and the masked form screens show (`+1 ••• ••• 0100`).
//!
//! Owns: parsing, the E.164 length limits, splitting off the country calling code, masking.
//! Does not own: whether a number is a mobile or a landline (the user or a carrier lookup says
//! so, see [`PhoneLine`](super::PhoneLine)), or sending anything to it.
//!
//! What is accepted, and the honest limits (this is not libphonenumber):
//!
//! - **International form**: `+` then the country calling code, or the international prefix
//!   `00` (`0044 20 7946 0958`), or North America's `011` when the default calling code is `1`.
//!   A `(0)` after the country code (`+44 (0)20 7946 0958`) is the national trunk prefix
//!   written for readers and is dropped.
//! - **National form** (no `+`): only with a default calling code, which the form's country
//!   picker supplies. One trunk prefix is dropped: a leading `0` for most countries, a leading
//!   `1` on an 11-digit North American number, a leading `8` on an 11-digit number for `+7`.
//!   Italy, San Marino, the Vatican (`39`, `378`, `379`) and Côte d'Ivoire (`225`) keep their
//!   leading `0`, which belongs to the number there. Other trunk prefixes (Hungary's `06`,
//!   Lithuania's `8`, …) are not known: type those numbers with `+`. A national number typed
//!   with its country code but without `+` gets the default code added a second time.
//! - **Separators**: spaces (any Unicode whitespace), dashes (ASCII and Unicode hyphens and
//!   dashes), dots, slashes and parentheses are dropped wherever they are. Anything else is
//!   refused and named: letters (so no vanity numbers like `1-800-FLOWERS` and no extensions
//!   like `x123`), a `+` anywhere but first, any other symbol. Only ASCII digits are digits.
//! - **Length**: 7 to 15 digits counting the country code. 15 is E.164's maximum; 7 is the
//!   shortest in use (4-digit numbers in a few Pacific nations with 3-digit country codes).
//!   Per-country lengths are not checked: a number of plausible length in a real country code
//!   is accepted even if no such line exists. A code is only sent if the number is real.
//! - **Country calling codes** are prefix-free, so the 1- and 2-digit codes listed in
//!   [`TWO_DIGIT_CODES`] and `1`/`7` tell where every code ends; all others are 3 digits. Whether
//!   a 3-digit code is assigned is not checked; a code starting with `0` is refused.
//!
//! Errors ([`PhoneNumberError`]) say what is wrong and never repeat the number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Most digits an E.164 number has, country code included (ITU-T E.164 §6).
pub const MAX_DIGITS: usize = 15;
/// Fewest digits accepted, country code included.
pub const MIN_DIGITS: usize = 7;

/// The only 1-digit country calling codes: North America (NANP) and Russia/Kazakhstan.
const ONE_DIGIT_CODES: [&str; 2] = ["1", "7"];
/// Every 2-digit country calling code. All codes not listed here or in `ONE_DIGIT_CODES` are
/// 3 digits long (ITU-T E.164 assignments; the codes form a prefix-free set).
pub const TWO_DIGIT_CODES: [&str; 44] = [
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49", "51",
    "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84", "86", "90",
    "91", "92", "93", "94", "95", "98",
];
/// Countries where the leading `0` of a national number is part of the number, not a trunk
/// prefix, so it stays after the country code.
const KEEPS_LEADING_ZERO: [&str; 4] = ["39", "378", "379", "225"];

const MASK: char = '•';

/// A telephone number in E.164 form: `+`, a country calling code, the national number; at
/// most 15 digits. Two numbers are the same number exactly when their E.164 forms are equal.
///
/// A phone number is personal data, so `Debug` shows only the [masked](Self::masked) form and
/// there is no `Display`: ask for [`e164`](Self::e164) (to dial or store) or
/// [`masked`](Self::masked) (to show) by name. On the wire it is the E.164 string, checked
/// again when read.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber {
    /// `+` and 7 to 15 ASCII digits, the first not `0`.
    e164: String,
    /// How many digits after the `+` are the country calling code (1 to 3).
    calling_code_len: usize,
}

/// Why a typed phone number was refused. Each variant says what to fix; none quotes the
/// number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PhoneNumberError {
    /// Nothing typed, or only separators.
    Empty,
    /// A letter: vanity numbers and extensions are not accepted.
    ContainsLetters,
    /// A character that is neither a digit nor a separator.
    InvalidCharacter { character: char },
    /// A `+` somewhere other than first.
    MisplacedPlus,
    /// A national number with no default calling code to complete it.
    MissingCountryCode,
    /// The digits after `+` (or `00`) start with `0`, which no country code does.
    InvalidCountryCode,
    /// Fewer than [`MIN_DIGITS`] digits with the country code.
    TooShort { digits: usize, min: usize },
    /// More than [`MAX_DIGITS`] digits with the country code.
    TooLong { digits: usize, max: usize },
    /// The default calling code passed by the app is not a country calling code.
    InvalidDefaultCallingCode,
    /// [`PhoneNumber::from_e164`] was given something other than `+` and digits.
    NotE164,
}

impl PhoneNumberError {
    /// A stable snake_case name for the wire and for tests; the same as the serialised `code`.
    pub fn code(&self) -> &'static str {
        match self {
            PhoneNumberError::Empty => "empty",
            PhoneNumberError::ContainsLetters => "contains_letters",
            PhoneNumberError::InvalidCharacter { .. } => "invalid_character",
            PhoneNumberError::MisplacedPlus => "misplaced_plus",
            PhoneNumberError::MissingCountryCode => "missing_country_code",
            PhoneNumberError::InvalidCountryCode => "invalid_country_code",
            PhoneNumberError::TooShort { .. } => "too_short",
            PhoneNumberError::TooLong { .. } => "too_long",
            PhoneNumberError::InvalidDefaultCallingCode => "invalid_default_calling_code",
            PhoneNumberError::NotE164 => "not_e164",
        }
    }

    /// Words a screen can show under the phone number field.
    pub fn message(&self) -> String {
        match self {
            PhoneNumberError::Empty => "Enter a phone number.".to_owned(),
            PhoneNumberError::ContainsLetters => "A phone number cannot contain letters: use digits only, without \
                                                  an extension."
                .to_owned(),
            PhoneNumberError::InvalidCharacter { character } => format!(
                "A phone number cannot contain \"{character}\": use digits, with spaces, dashes, dots or \
                 parentheses if you like."
            ),
            PhoneNumberError::MisplacedPlus => "A \"+\" can only come first, before the country code.".to_owned(),
            PhoneNumberError::MissingCountryCode => {
                "Add the country code, starting with + (for example +1 206 555 0100 or +44 20 7946 0958).".to_owned()
            }
            PhoneNumberError::InvalidCountryCode => {
                "A country code never starts with 0: check the digits after the +.".to_owned()
            }
            PhoneNumberError::TooShort { digits, min } => format!(
                "This phone number is too short: it has {digits} digits with the country code, and at least {min} \
                 are needed."
            ),
            PhoneNumberError::TooLong { digits, max } => format!(
                "This phone number is too long: it has {digits} digits with the country code, and at most {max} \
                 are allowed."
            ),
            PhoneNumberError::InvalidDefaultCallingCode => {
                "The default country calling code is not a country code such as 1 or 44.".to_owned()
            }
            PhoneNumberError::NotE164 => "The phone number is not in E.164 form (a + and digits only).".to_owned(),
        }
    }
}

impl fmt::Display for PhoneNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for PhoneNumberError {}

impl PhoneNumber {
    /// Reads a number as a person types it. `default_calling_code` (`"1"`, `"+44"`) completes
    /// a national number and is ignored for an international one; see the module docs for
    /// exactly what is accepted.
    ///
    /// ```
    /// use twostep_core::methods::PhoneNumber;
    /// let n = PhoneNumber::parse("+1 (206) 555-0100", None).unwrap();
    /// assert_eq!(n.e164(), "+12065550100");
    /// assert_eq!(PhoneNumber::parse("020 7946 0958", Some("44")).unwrap().e164(), "+442079460958");
    /// ```
    pub fn parse(input: &str, default_calling_code: Option<&str>) -> Result<Self, PhoneNumberError> {
        let default = default_calling_code.map(parse_calling_code).transpose()?;
        let trimmed = input.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        // "(0)" after the country code is a trunk prefix written for national readers.
        let rest = if plus || rest.starts_with("00") { rest.replace("(0)", "") } else { rest.to_owned() };
        let digits = collect_digits(&rest)?;
        if digits.is_empty() {
            return Err(PhoneNumberError::Empty);
        }

        let full = if plus {
            digits
        } else if let Some(international) = digits.strip_prefix("00") {
            international.to_owned()
        } else if let (Some("1"), Some(international)) = (default, digits.strip_prefix("011")) {
            international.to_owned()
        } else {
            let Some(code) = default else {
                return Err(PhoneNumberError::MissingCountryCode);
            };
            format!("{code}{}", strip_trunk_prefix(code, &digits))
        };
        Self::from_digits(full)
    }

    /// Reads a number already in E.164 form (`+` and digits, nothing else), as stored or sent
    /// on the wire.
    pub fn from_e164(e164: &str) -> Result<Self, PhoneNumberError> {
        match e164.strip_prefix('+') {
            Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                Self::from_digits(digits.to_owned())
            }
            _ => Err(PhoneNumberError::NotE164),
        }
    }

    /// `digits`: the country code and national number, ASCII digits only.
    fn from_digits(digits: String) -> Result<Self, PhoneNumberError> {
        if digits.starts_with('0') {
            return Err(PhoneNumberError::InvalidCountryCode);
        }
        if digits.len() > MAX_DIGITS {
            return Err(PhoneNumberError::TooLong { digits: digits.len(), max: MAX_DIGITS });
        }
        if digits.len() < MIN_DIGITS {
            return Err(PhoneNumberError::TooShort { digits: digits.len(), min: MIN_DIGITS });
        }
        let calling_code_len = calling_code_len(&digits);
        Ok(Self { e164: format!("+{digits}"), calling_code_len })
    }

    /// The number in E.164 form, e.g. `"+12065550100"`: for storing, comparing and dialling.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// The country calling code without `+`, e.g. `"1"` or `"44"`.
    pub fn calling_code(&self) -> &str {
        &self.e164[1..1 + self.calling_code_len]
    }

    /// The national significant number: the digits after the country code.
    pub fn national_number(&self) -> &str {
        &self.e164[1 + self.calling_code_len..]
    }

    /// The number as a screen shows it: country code, hidden digits in groups of three (the
    /// first group shorter when they do not divide evenly) and the last four digits —
    /// `"+1 ••• ••• 0100"`, `"+44 ••• ••• 0958"`. A national number under six digits shows
    /// only its last two.
    pub fn masked(&self) -> String {
        let (hidden, shown) = self.split_for_mask();
        let mut out = format!("+{} ", self.calling_code());
        for i in 0..hidden {
            if i > 0 && (hidden - i) % 3 == 0 {
                out.push(' ');
            }
            out.push(MASK);
        }
        out.push(' ');
        out.push_str(shown);
        out
    }

    /// The short masked form for tight spaces, e.g. a list row: `"•••• 0100"`.
    pub fn masked_short(&self) -> String {
        let (_, shown) = self.split_for_mask();
        format!("{} {shown}", MASK.to_string().repeat(4))
    }

    /// How many national digits are hidden, and the visible tail.
    fn split_for_mask(&self) -> (usize, &str) {
        let national = self.national_number();
        let visible = if national.len() >= 6 { 4 } else { 2 };
        let hidden = national.len() - visible;
        (hidden, &national[hidden..])
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PhoneNumber").field(&self.masked()).finish()
    }
}

/// Parses with no default calling code: the text must be in international form.
impl FromStr for PhoneNumber {
    type Err = PhoneNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s, None)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneNumberError;

    fn try_from(e164: String) -> Result<Self, Self::Error> {
        Self::from_e164(&e164)
    }
}

impl From<PhoneNumber> for String {
    fn from(number: PhoneNumber) -> Self {
        number.e164
    }
}

/// The digits of `text`, separators dropped; the first character that is neither is refused.
fn collect_digits(text: &str) -> Result<String, PhoneNumberError> {
    let mut digits = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '-' | '.' | '/' | '(' | ')' | '\u{2010}'..='\u{2015}' | '\u{2212}' => {}
            c if c.is_whitespace() => {}
            '+' => return Err(PhoneNumberError::MisplacedPlus),
            c if c.is_alphabetic() => return Err(PhoneNumberError::ContainsLetters),
            c => return Err(PhoneNumberError::InvalidCharacter { character: c }),
        }
    }
    Ok(digits)
}

/// Checks a default calling code (`"1"`, `"+44"`) and returns its digits.
fn parse_calling_code(code: &str) -> Result<&str, PhoneNumberError> {
    let code = code.trim();
    let digits = code.strip_prefix('+').unwrap_or(code);
    let well_formed = !digits.is_empty()
        && digits.len() <= 3
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
        && calling_code_len(digits) == digits.len();
    if well_formed { Ok(digits) } else { Err(PhoneNumberError::InvalidDefaultCallingCode) }
}

/// Where the country calling code at the start of `digits` ends (1, 2 or 3 digits).
fn calling_code_len(digits: &str) -> usize {
    if ONE_DIGIT_CODES.iter().any(|c| digits.starts_with(c)) {
        1
    } else if TWO_DIGIT_CODES.iter().any(|c| digits.starts_with(c)) {
        2
    } else {
        3
    }
}

/// A national number without its trunk prefix, for the country `code`.
fn strip_trunk_prefix<'a>(code: &str, national: &'a str) -> &'a str {
    match code {
        "1" if national.len() == 11 => national.strip_prefix('1').unwrap_or(national),
        "7" if national.len() == 11 => national.strip_prefix('8').unwrap_or(national),
        "1" | "7" => national,
        c if KEEPS_LEADING_ZERO.contains(&c) => national,
        _ => national.strip_prefix('0').unwrap_or(national),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(input: &str, default: Option<&str>) -> String {
        PhoneNumber::parse(input, default).unwrap_or_else(|e| panic!("{input:?}: {e}")).e164().to_owned()
    }

    fn refusal(input: &str, default: Option<&str>) -> PhoneNumberError {
        PhoneNumber::parse(input, default).expect_err(input)
    }

    #[test]
    fn international_numbers_written_many_ways_read_the_same() {
        for input in ["+1 (206) 555-0100", "+1 206 555 0100", "+1.206.555.0100", "+12065550100", "  +1-206-555-0100\n"]
        {
            assert_eq!(e164(input, None), "+12065550100", "{input:?}");
        }
        assert_eq!(e164("+44 20 7946 0958", None), "+442079460958");
        assert_eq!(e164("0044 20 7946 0958", None), "+442079460958");
        assert_eq!(e164("+44 (0)20 7946 0958", None), "+442079460958");
        assert_eq!(e164("0044 (0)20 7946 0958", None), "+442079460958");
        assert_eq!(e164("+49 30/1234567", None), "+49301234567");
        assert_eq!(e164("+1 206\u{2013}555\u{2013}0100", None), "+12065550100");
    }

    #[test]
    fn the_default_calling_code_completes_a_national_number() {
        assert_eq!(e164("(206) 555-0100", Some("1")), "+12065550100");
        assert_eq!(e164("1 206 555 0100", Some("1")), "+12065550100");
        assert_eq!(e164("020 7946 0958", Some("44")), "+442079460958");
        assert_eq!(e164("020 7946 0958", Some("+44")), "+442079460958");
        assert_eq!(e164("8 912 345-67-89", Some("7")), "+79123456789");
        assert_eq!(e164("011 44 20 7946 0958", Some("1")), "+442079460958");
    }

    #[test]
    fn the_default_calling_code_is_ignored_for_an_international_number() {
        assert_eq!(e164("+44 20 7946 0958", Some("1")), "+442079460958");
        assert_eq!(e164("0044 20 7946 0958", Some("1")), "+442079460958");
    }

    #[test]
    fn italy_keeps_its_leading_zero() {
        assert_eq!(e164("06 1234 5678", Some("39")), "+390612345678");
        assert_eq!(e164("07 12 34 56 78", Some("225")), "+2250712345678");
    }

    #[test]
    fn a_national_number_needs_a_country_code() {
        assert_eq!(refusal("206 555 0100", None), PhoneNumberError::MissingCountryCode);
        assert_eq!(refusal("12065550100", None), PhoneNumberError::MissingCountryCode);
    }

    #[test]
    fn letters_and_extensions_are_refused() {
        assert_eq!(refusal("1-800-FLOWERS", Some("1")), PhoneNumberError::ContainsLetters);
        assert_eq!(refusal("+1 206 555 0100 x12", None), PhoneNumberError::ContainsLetters);
        assert_eq!(refusal("+1 206 555 0100 ext. 12", None), PhoneNumberError::ContainsLetters);
    }

    #[test]
    fn other_symbols_are_refused_by_name() {
        assert_eq!(refusal("+1 206 555 0100#", None), PhoneNumberError::InvalidCharacter { character: '#' });
        assert_eq!(refusal("+1 206 555*0100", None), PhoneNumberError::InvalidCharacter { character: '*' });
        assert_eq!(refusal("1+206 555 0100", None), PhoneNumberError::MisplacedPlus);
        assert_eq!(refusal("++1 206 555 0100", None), PhoneNumberError::MisplacedPlus);
    }

    #[test]
    fn empty_input_is_refused() {
        assert_eq!(refusal("", None), PhoneNumberError::Empty);
        assert_eq!(refusal("   ", Some("1")), PhoneNumberError::Empty);
        assert_eq!(refusal("+ ( ) -", None), PhoneNumberError::Empty);
    }

    #[test]
    fn lengths_follow_e164() {
        assert_eq!(e164("+123456789012345", None), "+123456789012345");
        assert_eq!(refusal("+1234567890123456", None), PhoneNumberError::TooLong { digits: 16, max: 15 });
        assert_eq!(e164("+683 4002", None), "+6834002");
        assert_eq!(refusal("+1 555 01", None), PhoneNumberError::TooShort { digits: 6, min: 7 });
        assert_eq!(refusal("00", None), PhoneNumberError::TooShort { digits: 0, min: 7 });
    }

    #[test]
    fn a_country_code_never_starts_with_zero() {
        assert_eq!(refusal("+0 206 555 0100", None), PhoneNumberError::InvalidCountryCode);
        assert_eq!(refusal("000 206 555 0100", None), PhoneNumberError::InvalidCountryCode);
    }

    #[test]
    fn a_bad_default_calling_code_is_reported() {
        for code in ["", "0", "4", "441", "1234", "a1", "+"] {
            assert_eq!(refusal("206 555 0100", Some(code)), PhoneNumberError::InvalidDefaultCallingCode, "{code:?}");
        }
    }

    #[test]
    fn the_calling_code_is_split_off_by_the_itu_table() {
        let cases = [
            ("+12065550100", "1", "2065550100"),
            ("+79123456789", "7", "9123456789"),
            ("+442079460958", "44", "2079460958"),
            ("+353861234567", "353", "861234567"),
            ("+85212345678", "852", "12345678"),
        ];
        for (input, code, national) in cases {
            let n = PhoneNumber::from_e164(input).unwrap();
            assert_eq!((n.calling_code(), n.national_number()), (code, national), "{input}");
        }
    }

    #[test]
    fn masking_shows_the_country_code_and_the_last_four_digits() {
        let us = PhoneNumber::from_e164("+12065550100").unwrap();
        assert_eq!(us.masked(), "+1 ••• ••• 0100");
        assert_eq!(us.masked_short(), "•••• 0100");
        assert_eq!(PhoneNumber::from_e164("+442079460958").unwrap().masked(), "+44 ••• ••• 0958");
        assert_eq!(PhoneNumber::from_e164("+4930123456").unwrap().masked(), "+49 • ••• 3456");
        assert_eq!(PhoneNumber::from_e164("+353861234567").unwrap().masked(), "+353 •• ••• 4567");
        assert_eq!(PhoneNumber::from_e164("+6834002").unwrap().masked(), "+683 •• 02");
        assert_eq!(PhoneNumber::from_e164("+6834002").unwrap().masked_short(), "•••• 02");
    }

    #[test]
    fn debug_never_shows_the_whole_number() {
        let n = PhoneNumber::from_e164("+12065550100").unwrap();
        let debug = format!("{n:?}");
        assert!(!debug.contains("2065550100"), "{debug}");
        assert!(debug.contains("0100"), "{debug}");
    }

    #[test]
    fn errors_never_repeat_the_number() {
        for input in ["360 867 5309", "+1 360 867 5309 x12", "+1360867530912345", "+1 360 867 5309#"] {
            let e = refusal(input, None);
            assert!(!e.message().contains("867"), "{e}");
        }
    }

    #[test]
    fn from_e164_takes_only_the_canonical_form() {
        assert_eq!(PhoneNumber::from_e164("+12065550100").unwrap().e164(), "+12065550100");
        for bad in ["12065550100", "+1 206 555 0100", "+", "", "+1-206-555-0100"] {
            assert_eq!(PhoneNumber::from_e164(bad), Err(PhoneNumberError::NotE164), "{bad:?}");
        }
    }

    #[test]
    fn wire_form_is_the_e164_string_checked_on_the_way_in() {
        let n = PhoneNumber::from_e164("+442079460958").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"+442079460958\"");
        assert_eq!(serde_json::from_str::<PhoneNumber>("\"+442079460958\"").unwrap(), n);
        assert!(serde_json::from_str::<PhoneNumber>("\"+44 20 7946 0958\"").is_err());
        assert!(serde_json::from_str::<PhoneNumber>("\"+4420794609581234\"").is_err());
    }

    #[test]
    fn error_codes_match_their_wire_form() {
        let errors = [
            PhoneNumberError::Empty,
            PhoneNumberError::ContainsLetters,
            PhoneNumberError::InvalidCharacter { character: '#' },
            PhoneNumberError::MisplacedPlus,
            PhoneNumberError::MissingCountryCode,
            PhoneNumberError::InvalidCountryCode,
            PhoneNumberError::TooShort { digits: 3, min: MIN_DIGITS },
            PhoneNumberError::TooLong { digits: 16, max: MAX_DIGITS },
            PhoneNumberError::InvalidDefaultCallingCode,
            PhoneNumberError::NotE164,
        ];
        for e in errors {
            let json = serde_json::to_value(&e).unwrap();
            assert_eq!(json["code"], e.code(), "{json}");
            assert_eq!(serde_json::from_value::<PhoneNumberError>(json).unwrap(), e);
            assert_eq!(e.to_string(), e.message());
        }
        assert_eq!(
            serde_json::to_string(&PhoneNumberError::TooLong { digits: 16, max: 15 }).unwrap(),
            r#"{"code":"too_long","digits":16,"max":15}"#
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn parse_never_panics(input in "\\PC{0,40}", default in proptest::option::of("[+0-9]{0,4}")) {
            let _ = PhoneNumber::parse(&input, default.as_deref());
        }

        #[test]
        fn every_accepted_number_is_e164_and_reads_back_the_same(
            input in "[+]?[0-9 ().-]{0,24}",
            default in proptest::option::of(prop_oneof!["1", "44", "7", "39", "353"]),
        ) {
            if let Ok(n) = PhoneNumber::parse(&input, default.as_deref()) {
                let digits = &n.e164()[1..];
                prop_assert!(n.e164().starts_with('+'));
                prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
                prop_assert!((MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()));
                prop_assert_eq!(PhoneNumber::parse(n.e164(), None), Ok(n.clone()));
                prop_assert_eq!(PhoneNumber::from_e164(n.e164()), Ok(n.clone()));
                prop_assert_eq!(format!("+{}{}", n.calling_code(), n.national_number()), n.e164());
            }
        }

        #[test]
        fn masking_reveals_at_most_four_national_digits(digits in "[1-9][0-9]{6,14}") {
            let n = PhoneNumber::from_e164(&format!("+{digits}")).unwrap();
            let shown = n.masked().chars().filter(char::is_ascii_digit).count();
            prop_assert!(shown <= n.calling_code().len() + 4);
            prop_assert!(n.masked().ends_with(&n.national_number()[n.national_number().len() - 2..]));
        }
    }
}
