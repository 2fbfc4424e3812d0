//! Sans-IO response reading: from status and body to a typed answer or a
//! typed error.

use http::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error, ErrorCode};

#[derive(Deserialize)]
struct Envelope {
    code: i64,
    #[serde(rename = "errorMessage", default)]
    error_message: Option<String>,
    #[serde(default)]
    msg: Option<String>,
}

/// Reads an answer: code 200 decodes into `R`; any other code becomes an
/// [`ApiError`] keeping the code, message, status and request id; a body
/// that is not the documented JSON becomes a [`DecodeError`].
///
/// ```
/// use api_core::{decode_response, CodeOnly, Error, ErrorCode};
/// use http::StatusCode;
///
/// let ok: CodeOnly = decode_response(StatusCode::OK, br#"{"code":200}"#, None).unwrap();
/// let error = decode_response::<CodeOnly>(
///     StatusCode::UNAUTHORIZED,
///     br#"{"code":1004,"errorMessage":"Signature error"}"#,
///     Some("rid-1"),
/// ).unwrap_err();
/// let Error::Api(api) = error else { panic!() };
/// assert_eq!(api.code(), ErrorCode::SignatureMismatch);
/// assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
/// assert_eq!(api.request_id(), Some("rid-1"));
/// ```
pub fn decode_response<R: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
    request_id: Option<&str>,
) -> Result<R, Error> {
    if status.is_success() && starts_with_success_code(body) {
        return decode_success(status, body, request_id);
    }
    let envelope: Envelope = serde_json::from_slice(body).map_err(|error| {
        DecodeError::new(
            status,
            body,
            format!("not a result object: {error}"),
            request_id.map(str::to_owned),
        )
    })?;
    let code = ErrorCode::from_code(envelope.code);
    if code != ErrorCode::Success || !status.is_success() {
        let message = envelope.error_message.or(envelope.msg).unwrap_or_default();
        return Err(ApiError::new(code, message, status, request_id.map(str::to_owned)).into());
    }
    decode_success(status, body, request_id)
}

/// Whether `body` opens with `"code":200` (whitespace allowed around the
/// tokens), as the provider writes every success answer: then the code is
/// known, and the body is parsed once, into the typed answer, instead of
/// twice.
fn starts_with_success_code(body: &[u8]) -> bool {
    let mut rest = body;
    for token in [&b"{"[..], b"\"code\"", b":", b"200"] {
        rest = rest.trim_ascii_start();
        match rest.strip_prefix(token) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    matches!(rest.trim_ascii_start().first(), Some(b',' | b'}'))
}

fn decode_success<R: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
    request_id: Option<&str>,
) -> Result<R, Error> {
    serde_json::from_slice(body).map_err(|error| {
        DecodeError::new(
            status,
            body,
            format!("unexpected success body: {error}"),
            request_id.map(str::to_owned),
        )
        .with_success_code()
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Delivery;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Uid {
        #[serde(rename = "messageUID")]
        message_uid: String,
    }

    #[test]
    fn success_decodes() {
        let uid: Uid =
            decode_response(StatusCode::OK, br#"{"code":200,"messageUID":"X-1"}"#, None).unwrap();
        assert_eq!(uid.message_uid, "X-1");
    }

    #[test]
    fn error_code_keeps_everything() {
        let error = decode_response::<Uid>(
            StatusCode::TOO_MANY_REQUESTS,
            br#"{"code":1008,"errorMessage":"Too many requests"}"#,
            Some("abc"),
        )
        .unwrap_err();
        assert!(error.is_retryable());
        assert_eq!(error.delivery(), Delivery::Rejected);
        let Error::Api(api) = error else {
            panic!("{error:?}")
        };
        assert_eq!(api.code(), ErrorCode::RateLimited);
        assert_eq!(api.message(), "Too many requests");
        assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(api.request_id(), Some("abc"));
    }

    #[test]
    fn non_json_body_is_a_decode_error_with_status_and_excerpt() {
        let error = decode_response::<Uid>(
            StatusCode::BAD_GATEWAY,
            b"<html>bad gateway</html>",
            Some("r"),
        )
        .unwrap_err();
        let Error::Decode(decode) = error else {
            panic!("{error:?}")
        };
        assert_eq!(decode.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(decode.body(), "<html>bad gateway</html>");
        assert_eq!(decode.request_id(), Some("r"));
    }

    #[test]
    fn success_code_with_missing_fields_is_a_decode_error() {
        let error = decode_response::<Uid>(StatusCode::OK, br#"{"code":200}"#, None).unwrap_err();
        assert!(matches!(error, Error::Decode(_)), "{error:?}");
        assert_eq!(error.delivery(), Delivery::Unknown);
    }

    #[test]
    fn success_code_first_or_not_decodes_the_same() {
        for body in [
            &br#"{"code":200,"messageUID":"X-1"}"#[..],
            br#"{"messageUID":"X-1","code":200}"#,
            br#"{ "code" : 200 , "messageUID" : "X-1" }"#,
            b"{\n\"code\": 200,\n\"messageUID\": \"X-1\"\n}",
        ] {
            let uid: Uid = decode_response(StatusCode::OK, body, None).unwrap();
            assert_eq!(uid.message_uid, "X-1", "{}", String::from_utf8_lossy(body));
        }
        let ok: crate::CodeOnly =
            decode_response(StatusCode::OK, br#"{"code":200}"#, None).unwrap();
        assert_eq!(ok, crate::CodeOnly {});
    }

    #[test]
    fn the_one_pass_path_is_taken_only_for_a_leading_code_200() {
        assert!(starts_with_success_code(br#"{"code":200}"#));
        assert!(starts_with_success_code(b"{\n\"code\": 200,\n\"x\": 1}"));
        assert!(!starts_with_success_code(br#"{"code":2000}"#));
        assert!(!starts_with_success_code(br#"{"code":"200"}"#));
        assert!(!starts_with_success_code(br#"{"x":1,"code":200}"#));
        assert!(!starts_with_success_code(br#"{"code":200"#));
    }

    #[test]
    fn a_code_that_only_starts_with_200_is_an_error() {
        let error =
            decode_response::<Uid>(StatusCode::OK, br#"{"code":2007,"messageUID":"X-1"}"#, None)
                .unwrap_err();
        let Error::Api(api) = error else { panic!() };
        assert_eq!(api.code(), ErrorCode::from_code(2007));
    }

    #[test]
    fn code_200_under_an_error_status_is_an_error() {
        let error = decode_response::<Uid>(
            StatusCode::INTERNAL_SERVER_ERROR,
            br#"{"code":200,"messageUID":"X-1"}"#,
            None,
        )
        .unwrap_err();
        let Error::Api(api) = error else { panic!() };
        assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn unknown_code_is_kept() {
        let error = decode_response::<Uid>(
            StatusCode::OK,
            br#"{"code":4321,"errorMessage":"new"}"#,
            None,
        )
        .unwrap_err();
        let Error::Api(api) = error else { panic!() };
        assert_eq!(api.code(), ErrorCode::Other(4321));
    }
}
