//! Success answers spoiled on the way, as broken gateways and proxies spoil them: a body cut
//! short, bytes that are not UTF-8, a field of the wrong JSON type, a body without end, or a
//! gateway's HTML page instead of the answer.

use crate::config::Spoil;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use futures_util::stream;
use serde_json::Value;

/// A MiB of spaces, the filler of an endless body.
static FILLER: [u8; 1 << 20] = [b' '; 1 << 20];

/// The answer `body` (JSON, status `status`) as `spoil` makes it.
pub fn spoiled(spoil: Spoil, status: StatusCode, body: String) -> Response {
    match spoil {
        Spoil::Truncated => {
            let cut = body.len() / 2;
            json_response(status, Body::from(body.into_bytes()[..cut].to_vec()))
        }
        Spoil::InvalidUtf8 => json_response(status, Body::from(broken_utf8(body))),
        Spoil::WrongType => json_response(status, Body::from(wrong_type(&body))),
        Spoil::Endless { mib } => {
            let opening = Bytes::from_static(b"{\"success\":true,\"data\":[");
            let filler = (0..mib).map(|_| Bytes::from_static(&FILLER));
            let pieces = std::iter::once(opening)
                .chain(filler)
                .map(Ok::<_, std::io::Error>);
            json_response(status, Body::from_stream(stream::iter(pieces)))
        }
        Spoil::GatewayPage => (
            StatusCode::BAD_GATEWAY,
            Html(
                "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>\
                 <h1>Bad Gateway</h1><p>The upstream server sent an invalid response.</p>\
                 </body></html>",
            ),
        )
            .into_response(),
    }
}

fn json_response(status: StatusCode, body: Body) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// The body with a byte sequence that is not UTF-8 at the start of its first string value.
fn broken_utf8(body: String) -> Vec<u8> {
    let mut bytes = body.into_bytes();
    let at = find(&bytes, b"\":\"").map_or(bytes.len(), |i| i + 3);
    bytes.splice(at..at, [0xC3, 0x28, 0xFF]);
    bytes
}

/// The body with the first number of its first record (after `id`) replaced by text.
fn wrong_type(body: &str) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(body) else {
        return body.to_string();
    };
    let first = match v.get_mut("data") {
        Some(Value::Array(rows)) => rows.first_mut(),
        Some(row @ Value::Object(_)) => Some(row),
        _ => None,
    };
    if let Some(Value::Object(fields)) = first {
        if let Some((_, value)) = fields
            .iter_mut()
            .find(|(k, value)| k.as_str() != "id" && value.is_number())
        {
            *value = Value::from("n/a");
        }
    }
    v.to_string()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_spoil_breaks_what_it_says() {
        let body = r#"{"success":true,"data":[{"id":1,"title":"A","owner_id":7,"value":5}]}"#;
        let broken = broken_utf8(body.to_string());
        assert!(std::str::from_utf8(&broken).is_err());
        assert_eq!(
            wrong_type(body),
            r#"{"success":true,"data":[{"id":1,"title":"A","owner_id":"n/a","value":5}]}"#
        );
    }
}
