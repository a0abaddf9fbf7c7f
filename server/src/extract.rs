//! Reading requests: JSON bodies whose every refusal is an `invalid_request` naming the
//! field, and the bearer session token.
//!
//! Bodies are parsed with serde_path_to_error so the error names the field
//! (`client.device_id`). Messages say what is wrong without quoting the value: a mistyped
//! field may hold a password or a code. The `Content-Type` is not insisted on (phones'
//! HTTP stacks differ), and an empty body reads as `{}` for the endpoints whose fields are
//! all optional.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use zeroize::Zeroizing;

use crate::error::Error;

/// A JSON body of type `T`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| Error::invalid("body", format!("cannot be read: {}", e.body_text())))?;
        parse(&bytes).map(JsonBody)
    }
}

/// Parses a JSON body, naming the field at fault.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { bytes };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        describe(&path, &inner)
    })?;
    de.end().map_err(|e| describe(".", &e))?;
    Ok(value)
}

fn describe(path: &str, e: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    let text = e.to_string();
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            Error::invalid("body", format!("is not valid JSON (line {}, column {})", e.line(), e.column()))
        }
        Category::Data => {
            let at = if path == "." { String::new() } else { path.to_owned() };
            // serde's own words name a missing field in backticks: "missing field `email`".
            if let Some(name) = text.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
                let field = if at.is_empty() { name.to_owned() } else { format!("{at}.{name}") };
                return Error::invalid(field, "is missing");
            }
            let field = if at.is_empty() { "body".to_owned() } else { at };
            let what = if text.starts_with("invalid type") {
                "has the wrong type"
            } else if text.starts_with("unknown variant") {
                "has a value that is not one of the allowed ones"
            } else {
                "has an invalid value"
            };
            Error::invalid(field, what)
        }
    }
}

/// The token of `Authorization: Bearer <token>`; `unauthorized` without one.
pub struct Bearer(pub Zeroizing<String>);

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        let (scheme, token) = header.split_once(' ').unwrap_or(("", ""));
        let token = token.trim();
        if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
            return Err(Error::unauthorized());
        }
        Ok(Bearer(Zeroizing::new(token.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use twostep_core::protocol::endpoints::SignIn;

    fn field_of(json: &str) -> (String, String) {
        match parse::<SignIn>(json.as_bytes()) {
            Err(Error::Api(e)) => (e.field.unwrap_or_default(), e.message),
            other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn refusals_name_the_field_and_never_quote_the_value() {
        let (field, _) = field_of(r#"{"email":"a@b.c","password":"x"}"#);
        assert_eq!(field, "client");
        let (field, _) =
            field_of(r#"{"email":"a@b.c","password":"x","client":{"kind":"app","app_version":"1","user_agent":""}}"#);
        assert_eq!(field, "client.device_id");
        let (field, message) = field_of(r#"{"email":"a@b.c","password":12345678,"client":{}}"#);
        assert_eq!(field, "password");
        assert!(!message.contains("12345678"), "{message}");
        let (field, _) = field_of(
            r#"{"email":"a@b.c","password":"p","client":{"device_id":"d","kind":"fridge","app_version":"1","user_agent":""}}"#,
        );
        assert_eq!(field, "client.kind");
        let (field, _) = field_of("{not json");
        assert_eq!(field, "body");
    }
}
