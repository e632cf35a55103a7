//! Body and query extractors that refuse in the dialect's own envelope, with
//! a message naming the field. Bodies are read whatever the
//! `Content-Type`, since vendor apps and devices often omit it.

use std::marker::PhantomData;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::{Dialect, Refusal};

/// A JSON body of type `T`; an empty body reads as `{}`.
pub struct DialectJson<T, D>(pub T, pub PhantomData<D>);

impl<T, D> DialectJson<T, D> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<S, T, D> FromRequest<S> for DialectJson<T, D>
where
    S: Send + Sync,
    T: DeserializeOwned,
    D: Dialect,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                D::refuse(Refusal::TooLarge)
            } else {
                D::refuse(Refusal::BadRequest("request body could not be read".into()))
            }
        })?;
        let body: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &bytes
        };
        parse_json(body)
            .map(|v| DialectJson(v, PhantomData))
            .map_err(D::refuse)
    }
}

/// Parses JSON, turning serde's error into a message that names the field.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        let valid = serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok();
        return Err(if valid {
            Refusal::BadRequest("request body must be a JSON object".into())
        } else {
            Refusal::BadJson
        });
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return Refusal::BadJson;
        }
        Refusal::BadRequest(describe(&path, &inner.to_string(), false))
    })
}

/// A query string of type `T`.
pub struct DialectQuery<T, D>(pub T, pub PhantomData<D>);

impl<T, D> DialectQuery<T, D> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<S, T, D> FromRequestParts<S> for DialectQuery<T, D>
where
    S: Send + Sync,
    T: DeserializeOwned,
    D: Dialect,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(|v| DialectQuery(v, PhantomData))
            .map_err(|e| {
                let path = e.path().to_string();
                D::refuse(Refusal::BadRequest(describe(
                    &path,
                    &e.into_inner().to_string(),
                    false,
                )))
            })
    }
}

/// `"phone is required"`, `"useType has the wrong type: ..."`, or
/// `"request body is not valid JSON"`.
fn describe(path: &str, serde_message: &str, syntax: bool) -> String {
    if syntax {
        return "request body is not valid JSON".into();
    }
    if let Some(rest) = serde_message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let full = if path == "." || path.is_empty() {
            field.to_owned()
        } else {
            format!("{path}.{field}")
        };
        return format!("{full} is required");
    }
    let message = serde_message
        .split(" at line ")
        .next()
        .unwrap_or(serde_message);
    if path == "." || path.is_empty() {
        format!("request body is not a JSON object: {message}")
    } else {
        format!("{path} has the wrong type or value: {message}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Body {
        phone: String,
        age: Option<i64>,
    }

    fn msg(body: &str) -> String {
        match parse_json::<Body>(body.as_bytes()) {
            Err(Refusal::BadRequest(m)) => m,
            Err(Refusal::BadJson) => Refusal::BadJson.message(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn messages_name_the_field() {
        assert_eq!(msg("{}"), "phone is required");
        assert!(msg(r#"{"phone":"1","age":"x"}"#).starts_with("age has the wrong type"));
        assert_eq!(msg("{"), "request body is not valid JSON");
        assert_eq!(msg("[1]"), "request body must be a JSON object");
        assert_eq!(msg("nope"), "request body is not valid JSON");
    }
}
