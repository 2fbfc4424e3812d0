//! Sans-IO response reading: from status and body to a typed answer or a
//! typed error.

use std::fmt;

use http::StatusCode;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::error::{ApiError, DecodeError, Error, ErrorCode};

/// How an endpoint's answers tell success from failure: the `code` of a
/// success, and the member that holds an error's message.
///
/// Most calls answer `{"code": 200, ...}` and, on failure,
/// `{"code": 1004, "errorMessage": "..."}` ([`ResponseShape::STANDARD`]).
/// A few do otherwise: the v2 ultragroup calls answer `code` 10000 with
/// errors as `{"code", "msg"}`, chatroom keep-alive answers `code` 0.
/// `#[endpoint(success_code = 10000, error_message = "msg")]` declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResponseShape {
    /// The `code` of a successful answer.
    pub success_code: i64,
    /// The member holding an error's message. When it is absent the other
    /// usual one (`errorMessage` or `msg`) is read instead.
    pub message_key: &'static str,
}

impl ResponseShape {
    /// `code` 200 on success, `errorMessage` on failure.
    pub const STANDARD: Self = Self::new(200, "errorMessage");

    /// A shape with this success code and error message member.
    pub const fn new(success_code: i64, message_key: &'static str) -> Self {
        Self {
            success_code,
            message_key,
        }
    }
}

impl Default for ResponseShape {
    fn default() -> Self {
        Self::STANDARD
    }
}

/// The result code and error message of an answer, read with the message
/// member its endpoint names; every other member is skipped.
struct Envelope {
    code: i64,
    message: Option<String>,
}

struct EnvelopeSeed(&'static str);

impl<'de> DeserializeSeed<'de> for EnvelopeSeed {
    type Value = Envelope;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Envelope, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed {
    type Value = Envelope;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a result object with a `code`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
        let mut code = None;
        let mut named = None;
        let mut other = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "code" {
                code = Some(map.next_value::<i64>()?);
            } else if key == self.0 {
                named = map.next_value::<Option<String>>()?;
            } else if key == "errorMessage" || key == "msg" {
                other = map.next_value::<Option<String>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        let code = code.ok_or_else(|| de::Error::missing_field("code"))?;
        Ok(Envelope {
            code,
            message: named.or(other),
        })
    }
}

/// Reads an answer of an endpoint with the [standard
/// shape](ResponseShape::STANDARD): code 200 decodes into `R`; any other
/// code becomes an [`ApiError`] keeping the code, message, status and
/// request id; a body that is not the documented JSON becomes a
/// [`DecodeError`].
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
    decode_response_as(ResponseShape::STANDARD, status, body, request_id)
}

/// Reads an answer of an endpoint whose answers have `shape`
/// ([`Endpoint::RESPONSE_SHAPE`](crate::Endpoint::RESPONSE_SHAPE)): its
/// success code decodes into `R`, anything else is an error as for
/// [`decode_response`].
///
/// ```
/// use api_core::{decode_response_as, CodeOnly, Error, ResponseShape};
/// use http::StatusCode;
///
/// let v2 = ResponseShape::new(10000, "msg");
/// let ok: CodeOnly = decode_response_as(v2, StatusCode::OK, br#"{"code":10000}"#, None).unwrap();
/// let error = decode_response_as::<CodeOnly>(
///     v2,
///     StatusCode::OK,
///     br#"{"code":200,"msg":"not this one"}"#,
///     None,
/// ).unwrap_err();
/// let Error::Api(api) = error else { panic!() };
/// assert_eq!(api.code().code(), 200);
/// assert_eq!(api.message(), "not this one");
/// ```
pub fn decode_response_as<R: DeserializeOwned>(
    shape: ResponseShape,
    status: StatusCode,
    body: &[u8],
    request_id: Option<&str>,
) -> Result<R, Error> {
    if status.is_success() && starts_with_code(body, shape.success_code) {
        return decode_success(status, body, request_id);
    }
    let mut reader = serde_json::Deserializer::from_slice(body);
    let envelope = EnvelopeSeed(shape.message_key)
        .deserialize(&mut reader)
        .and_then(|envelope| reader.end().map(|()| envelope))
        .map_err(|error| {
            DecodeError::new(
                status,
                body,
                format!("not a result object: {error}"),
                request_id.map(str::to_owned),
            )
        })?;
    if envelope.code != shape.success_code || !status.is_success() {
        let code = ErrorCode::from_code(envelope.code);
        let message = envelope.message.unwrap_or_default();
        return Err(ApiError::new(code, message, status, request_id.map(str::to_owned)).into());
    }
    decode_success(status, body, request_id)
}

/// Whether `body` opens with `"code":<code>` (whitespace allowed around the
/// tokens), as the provider writes every success answer: then the code is
/// known, and the body is parsed once, into the typed answer, instead of
/// twice.
fn starts_with_code(body: &[u8], code: i64) -> bool {
    let mut digits = itoa::Buffer::new();
    let mut rest = body;
    for token in [&b"{"[..], b"\"code\"", b":", digits.format(code).as_bytes()] {
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
    // UTF-8 checked once for the whole body: `from_slice` checks each
    // string on its own, keys included, which cost about 1,000 instructions
    // on a two-recipient publish answer against about 150 (callgrind,
    // `loopback_instructions`).
    let parsed = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text).map_err(|error| error.to_string()),
        Err(error) => Err(format!("the body is not UTF-8: {error}")),
    };
    parsed.map_err(|error| {
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
    use crate::error::{Delivery, Processed};
    use serde::Deserialize;

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
    fn a_success_body_that_is_not_utf8_is_a_decode_error_of_a_processed_call() {
        // An invalid byte inside a string (where `from_slice` would also
        // have refused it) and one outside any string.
        for body in [
            &b"{\"code\":200,\"messageUID\":\"X-\xff\"}"[..],
            b"{\"code\":200,\"messageUID\":\"X-1\"}\xff",
        ] {
            let error = decode_response::<Uid>(StatusCode::OK, body, Some("r")).unwrap_err();
            let Error::Decode(decode) = &error else {
                panic!("{error:?}")
            };
            assert!(decode.has_success_code());
            assert!(
                decode.reason().contains("unexpected success body"),
                "{}",
                decode.reason()
            );
            assert_eq!(decode.request_id(), Some("r"));
            // Processed: never repeated, even by an idempotent call.
            assert_eq!(error.disposition().processed, Processed::Yes);
            assert!(!error.is_retryable_if_idempotent());
        }
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
        assert!(starts_with_code(br#"{"code":200}"#, 200));
        assert!(starts_with_code(b"{\n\"code\": 200,\n\"x\": 1}", 200));
        assert!(!starts_with_code(br#"{"code":2000}"#, 200));
        assert!(!starts_with_code(br#"{"code":"200"}"#, 200));
        assert!(!starts_with_code(br#"{"x":1,"code":200}"#, 200));
        assert!(!starts_with_code(br#"{"code":200"#, 200));
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

    #[test]
    fn another_success_code_and_message_member() {
        let v2 = ResponseShape::new(10000, "msg");
        let uid: Uid = decode_response_as(
            v2,
            StatusCode::OK,
            br#"{"code":10000,"messageUID":"X-1"}"#,
            None,
        )
        .unwrap();
        assert_eq!(uid.message_uid, "X-1");
        // Code first or not, pretty-printed or not.
        let uid: Uid = decode_response_as(
            v2,
            StatusCode::OK,
            b"{ \"messageUID\": \"X-2\",\n \"code\": 10000 }",
            None,
        )
        .unwrap();
        assert_eq!(uid.message_uid, "X-2");
        // The standard success code is an error for such an endpoint.
        let error = decode_response_as::<Uid>(
            v2,
            StatusCode::OK,
            br#"{"code":200,"messageUID":"X-1"}"#,
            None,
        )
        .unwrap_err();
        let Error::Api(api) = error else { panic!() };
        assert_eq!(api.code(), ErrorCode::Success);

        let error = decode_response_as::<Uid>(
            v2,
            StatusCode::BAD_REQUEST,
            br#"{"code":1002,"msg":"bad groupId","errorMessage":"other"}"#,
            Some("r"),
        )
        .unwrap_err();
        let Error::Api(api) = error else { panic!() };
        assert_eq!(api.code(), ErrorCode::InvalidParameter);
        assert_eq!(
            api.message(),
            "bad groupId",
            "the endpoint's own member first"
        );
        assert_eq!(api.request_id(), Some("r"));
    }

    #[test]
    fn success_code_zero() {
        let keepalive = ResponseShape::new(0, "errorMessage");
        let ok: crate::CodeOnly =
            decode_response_as(keepalive, StatusCode::OK, br#"{"code":0}"#, None).unwrap();
        assert_eq!(ok, crate::CodeOnly {});
        assert!(starts_with_code(br#"{"code":0}"#, 0));
        assert!(!starts_with_code(br#"{"code":00}"#, 0));
        let error = decode_response_as::<crate::CodeOnly>(
            keepalive,
            StatusCode::OK,
            br#"{"code":23412,"errorMessage":"not in room"}"#,
            None,
        )
        .unwrap_err();
        let Error::Api(api) = error else { panic!() };
        assert_eq!(api.code().code(), 23412);
        assert_eq!(api.message(), "not in room");
    }

    #[test]
    fn the_other_usual_message_member_is_read_when_the_named_one_is_absent() {
        let error =
            decode_response::<Uid>(StatusCode::OK, br#"{"code":1002,"msg":"only msg"}"#, None)
                .unwrap_err();
        let Error::Api(api) = error else { panic!() };
        assert_eq!(api.message(), "only msg");
    }

    #[test]
    fn an_answer_without_a_code_or_with_trailing_text_is_a_decode_error() {
        for body in [
            &br#"{"result":"ok"}"#[..],
            br#"{"code":1002} trailing"#,
            b"[1]",
        ] {
            let error = decode_response::<Uid>(StatusCode::OK, body, None).unwrap_err();
            assert!(matches!(error, Error::Decode(_)), "{error:?}");
        }
    }
}
