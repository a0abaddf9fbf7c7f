//! What the JSON formats (Aegis, 2FAS, Bitwarden) share: parsing into a document whose strings
//! are zeroized when it is dropped, and reading fields with errors that name the field.
//!
//! The file is parsed into a `serde_json::Value` and read by hand rather than into typed
//! structs: serde's type errors quote the offending value, which may be a secret, while a
//! syntax error of an untyped parse only carries a position. The parser's own depth limit
//! (128) keeps a hostile nesting from exhausting the stack.

use serde_json::{Map, Value};
use zeroize::Zeroize;

use super::{EntryError, Format, ImportError};

/// A parsed JSON document whose every string is zeroized on drop: the secrets (and decrypted
/// content) of an export do not outlive the import.
pub(crate) struct Scrubbed(Value);

impl Scrubbed {
    pub(crate) fn new(value: Value) -> Self {
        Self(value)
    }

    pub(crate) fn value(&self) -> &Value {
        &self.0
    }
}

impl std::fmt::Debug for Scrubbed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scrubbed(<redacted JSON>)")
    }
}

impl Drop for Scrubbed {
    fn drop(&mut self) {
        scrub(&mut self.0);
    }
}

fn scrub(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(scrub),
        Value::Object(map) => map.values_mut().for_each(scrub),
        _ => {}
    }
}

/// Parses `bytes` as the JSON document of a `format` export. Text that is not JSON at all is
/// [`ImportError::WrongFormat`]; JSON with a syntax error is [`ImportError::Malformed`] at its
/// line and column.
pub(crate) fn parse(format: Format, bytes: &[u8]) -> Result<Scrubbed, ImportError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => Ok(Scrubbed::new(value)),
        Err(e) => {
            let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
            if !matches!(first, Some(b'{' | b'[')) {
                return Err(ImportError::WrongFormat { format, reason: "it is not JSON".into() });
            }
            let reason = match e.classify() {
                serde_json::error::Category::Eof => "the JSON ends too early (is the file cut short?)",
                _ => "is not valid JSON",
            };
            Err(ImportError::Malformed {
                at: format!("line {}, column {}", e.line(), e.column()),
                reason: reason.into(),
            })
        }
    }
}

/// Reads a JSON object's fields; every error names the field.
#[derive(Clone, Copy)]
pub(crate) struct Fields<'a>(pub &'a Map<String, Value>);

impl<'a> Fields<'a> {
    /// `value` as an object, or an error naming `field`.
    pub(crate) fn of(value: &'a Value, field: &'static str) -> Result<Self, EntryError> {
        value.as_object().map(Fields).ok_or_else(|| EntryError::new(field, "must be a JSON object"))
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.0.get(key).is_some_and(|v| !v.is_null())
    }

    /// A text field; absent and `null` are `None`.
    pub(crate) fn str(&self, key: &'static str) -> Result<Option<&'a str>, EntryError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(EntryError::new(key, "must be text")),
        }
    }

    /// A text field that must be there.
    pub(crate) fn required_str(&self, key: &'static str) -> Result<&'a str, EntryError> {
        self.str(key)?.ok_or_else(|| EntryError::new(key, "is missing"))
    }

    /// A whole, non-negative number; absent and `null` are `None`.
    pub(crate) fn u64(&self, key: &'static str) -> Result<Option<u64>, EntryError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| EntryError::new(key, "must be a whole number, 0 or more")),
        }
    }

    pub(crate) fn required_u64(&self, key: &'static str) -> Result<u64, EntryError> {
        self.u64(key)?.ok_or_else(|| EntryError::new(key, "is missing"))
    }

    /// An object field; absent and `null` are `None`.
    pub(crate) fn object(&self, key: &'static str) -> Result<Option<Fields<'a>>, EntryError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => Fields::of(v, key).map(Some),
        }
    }

    pub(crate) fn required_object(&self, key: &'static str) -> Result<Fields<'a>, EntryError> {
        self.object(key)?.ok_or_else(|| EntryError::new(key, "is missing"))
    }

    /// An array field; absent and `null` are `None`.
    pub(crate) fn array(&self, key: &'static str) -> Result<Option<&'a [Value]>, EntryError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(EntryError::new(key, "must be a JSON list")),
        }
    }

    /// A true/false field; absent and `null` are `None`.
    pub(crate) fn bool(&self, key: &'static str) -> Result<Option<bool>, EntryError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(EntryError::new(key, "must be true or false")),
        }
    }
}

/// Turns an error in a field of the file's frame (not of one entry) into a file-level error at
/// `path.field`.
pub(crate) fn at(path: &str) -> impl Fn(EntryError) -> ImportError + '_ {
    move |e| {
        let at = if path.is_empty() { e.field().to_owned() } else { format!("{path}.{}", e.field()) };
        ImportError::Malformed { at, reason: e.reason().to_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_give_a_position_and_never_the_content() {
        let e = parse(Format::Aegis, b"{\n  \"secret\": \"JBSWY3DPEHPK3PXP\" oops }").unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("line 2, column"), "{text}");
        assert!(!text.contains("JBSWY3DPEHPK3PXP"), "{text}");
        assert!(matches!(parse(Format::Aegis, b"otpauth://x"), Err(ImportError::WrongFormat { .. })));
        let cut = parse(Format::Aegis, b"{\"a\": [1, 2").unwrap_err().to_string();
        assert!(cut.contains("ends too early"), "{cut}");
    }

    #[test]
    fn a_hostile_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(Format::Aegis, deep.as_bytes()).is_err());
    }

    #[test]
    fn fields_are_typed_and_named() {
        let doc =
            parse(Format::Aegis, br#"{"a": "x", "n": 7, "neg": -1, "o": {}, "l": [], "z": null, "b": true}"#).unwrap();
        let f = Fields::of(doc.value(), "root").unwrap();
        assert_eq!(f.str("a").unwrap(), Some("x"));
        assert_eq!(f.str("z").unwrap(), None);
        assert_eq!(f.str("n").unwrap_err().field(), "n");
        assert_eq!(f.u64("n").unwrap(), Some(7));
        assert!(f.u64("neg").is_err());
        assert!(f.u64("a").is_err());
        assert!(f.object("o").unwrap().is_some());
        assert!(f.array("l").unwrap().is_some());
        assert_eq!(f.required_str("missing").unwrap_err().reason(), "is missing");
        assert_eq!(f.bool("b").unwrap(), Some(true));
        assert!(!f.has("z") && f.has("a"));
    }
}
