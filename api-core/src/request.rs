//! Sans-IO request building: from an endpoint value to a signed
//! `http::Request`, with no network.

use bytes::Bytes;
use http::header::{CONTENT_TYPE, USER_AGENT};
use http::{HeaderName, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;

use crate::endpoint::{Endpoint, HttpMethod};
use crate::error::{ConfigError, Error};
use crate::hosts::BaseUrl;
use crate::response::{ResponseShape, decode_response_as};
use crate::signer::Signer;

/// `App-Key` header.
pub static APP_KEY: HeaderName = HeaderName::from_static("app-key");
/// `Nonce` header.
pub static NONCE: HeaderName = HeaderName::from_static("nonce");
/// `Timestamp` header.
pub static TIMESTAMP: HeaderName = HeaderName::from_static("timestamp");
/// `Signature` header.
pub static SIGNATURE: HeaderName = HeaderName::from_static("signature");
/// `X-Request-ID` header.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The `User-Agent` this crate sends.
pub const USER_AGENT_VALUE: &str = concat!("api-core/", env!("CARGO_PKG_VERSION"), " (rust)");

/// The longest `X-Request-ID` the provider accepts.
pub const MAX_REQUEST_ID_LEN: usize = 36;

/// The `X-Request-ID` of one logical call, kept across its attempts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(HeaderValue);

impl RequestId {
    /// A new random id (a hyphenated UUID v4: 36 characters).
    pub fn new() -> Self {
        // From the thread-local CSPRNG rather than `Uuid::new_v4`, which
        // asks the OS for every id (a system call per request).
        let random: [u8; 16] = rand::random();
        let uuid = uuid::Builder::from_random_bytes(random).into_uuid();
        let mut buffer = uuid::Uuid::encode_buffer();
        let text = uuid.hyphenated().encode_lower(&mut buffer);
        Self(HeaderValue::from_str(text).expect("a UUID is a valid header value"))
    }

    /// An id chosen by the caller: 1 to 36 visible ASCII characters.
    pub fn parse(id: &str) -> Result<Self, ConfigError> {
        if id.is_empty()
            || id.len() > MAX_REQUEST_ID_LEN
            || !id.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(ConfigError::new(format!(
                "a request id has 1 to {MAX_REQUEST_ID_LEN} visible ASCII characters, got {id:?}"
            )));
        }
        Ok(Self(
            HeaderValue::from_str(id).map_err(|e| ConfigError::new(e.to_string()))?,
        ))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        // Both constructors admit only visible ASCII, so the UTF-8 check
        // (a word at a time) stands for `HeaderValue::to_str`'s check of
        // each byte, which this call, made on every answer, spent.
        std::str::from_utf8(self.0.as_bytes()).unwrap_or_default()
    }
}

impl Default for RequestId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A validated, encoded call, ready to be signed once per attempt.
///
/// ```
/// # use api_core::{CodeOnly, Encoding, Endpoint, EncodeError, PreparedRequest, RequestId, Report, Validate};
/// # struct Ping;
/// # impl Validate for Ping { fn validate_into(&self, _: &mut Report) {} }
/// # impl Endpoint for Ping {
/// #     const PATH: &'static str = "/ping.json";
/// #     const ENCODING: Encoding = Encoding::Form;
/// #     const MAX_RECIPIENTS: Option<usize> = None;
/// #     type Response = CodeOnly;
/// #     fn encode_body(&self) -> Result<Vec<u8>, EncodeError> { Ok(b"a=1".to_vec()) }
/// # }
/// use api_core::{BaseUrl, Credentials, Signer};
///
/// let prepared = PreparedRequest::new(&Ping, RequestId::new()).unwrap();
/// let signer = Signer::new(Credentials::new("key", "secret"));
/// let base = BaseUrl::parse("https://api.rong-api.com").unwrap();
/// let request = prepared.to_http(&base, &signer).unwrap();
/// assert_eq!(request.uri(), "https://api.rong-api.com/ping.json");
/// assert_eq!(request.headers()["app-key"], "key");
/// ```
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    path: &'static str,
    method: HttpMethod,
    content_type: HeaderValue,
    /// The body of a `POST`; empty for a `GET`.
    body: Bytes,
    /// The form-encoded parameters of a `GET`.
    query: Option<String>,
    response_shape: ResponseShape,
    request_id: RequestId,
}

impl PreparedRequest {
    /// Validates `endpoint` (every violation at once) and encodes its body
    /// (for a `GET`, its query string).
    pub fn new<E: Endpoint + ?Sized>(endpoint: &E, request_id: RequestId) -> Result<Self, Error> {
        endpoint.validate()?;
        let encoded = endpoint.encode_body()?;
        let (body, query) = match E::METHOD {
            HttpMethod::Post => (Bytes::from(encoded), None),
            // A form body is ASCII (every other byte is percent-encoded).
            HttpMethod::Get => (
                Bytes::new(),
                Some(
                    String::from_utf8(encoded)
                        .map_err(|error| crate::error::EncodeError::new("query", error))?,
                ),
            ),
        };
        Ok(Self {
            path: E::PATH,
            method: E::METHOD,
            content_type: HeaderValue::from_static(E::ENCODING.content_type()),
            body,
            query,
            response_shape: E::RESPONSE_SHAPE,
            request_id,
        })
    }

    /// The endpoint path.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// The HTTP method.
    pub fn method(&self) -> HttpMethod {
        self.method
    }

    /// The encoded body (empty for a `GET`).
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The query string of a `GET` (without the `?`).
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// How the endpoint's answers tell success from failure.
    pub fn response_shape(&self) -> ResponseShape {
        self.response_shape
    }

    /// Reads an answer to this call as its endpoint's
    /// [`RESPONSE_SHAPE`](Endpoint::RESPONSE_SHAPE) says, keeping the
    /// call's request id in errors.
    pub fn decode<R: DeserializeOwned>(&self, status: StatusCode, body: &[u8]) -> Result<R, Error> {
        decode_response_as(
            self.response_shape,
            status,
            body,
            Some(self.request_id.as_str()),
        )
    }

    /// The call's request id.
    pub fn request_id(&self) -> &RequestId {
        &self.request_id
    }

    /// One signed attempt against `base`: a fresh nonce and timestamp, the
    /// same body and request id.
    pub fn to_http(&self, base: &BaseUrl, signer: &Signer) -> Result<http::Request<Bytes>, Error> {
        let signature = signer.sign_headers()?;
        // Built directly rather than through `http::request::Builder`, whose
        // per-header conversions cost more than the signature itself.
        let mut headers = http::HeaderMap::with_capacity(8);
        headers.insert(APP_KEY.clone(), signer.app_key_header()?);
        headers.insert(NONCE.clone(), signature.nonce);
        headers.insert(TIMESTAMP.clone(), signature.timestamp);
        headers.insert(SIGNATURE.clone(), signature.signature);
        headers.insert(REQUEST_ID.clone(), self.request_id.0.clone());
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        let mut uri = base.uri(self.path)?;
        match self.query.as_deref() {
            // A GET has no body, so no content type.
            Some(query) if !query.is_empty() => uri = with_query(uri, query)?,
            Some(_) => {}
            None => {
                headers.insert(CONTENT_TYPE, self.content_type.clone());
            }
        }
        let mut request = http::Request::new(self.body.clone());
        *request.method_mut() = self.method.as_http();
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }
}

/// `uri` with `query` as its query string.
fn with_query(uri: http::Uri, query: &str) -> Result<http::Uri, Error> {
    let mut parts = uri.into_parts();
    let path = parts
        .path_and_query
        .as_ref()
        .map_or("/", http::uri::PathAndQuery::path);
    let path_and_query = http::uri::PathAndQuery::try_from(format!("{path}?{query}"))
        .map_err(|error| ConfigError::new(format!("bad query string {query:?}: {error}")))?;
    parts.path_and_query = Some(path_and_query);
    http::Uri::from_parts(parts)
        .map_err(|error| ConfigError::new(format!("bad query string {query:?}: {error}")).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::Encoding;
    use crate::endpoint::CodeOnly;
    use crate::error::EncodeError;
    use crate::validate::{Report, Validate};
    use crate::{Credentials, Signer};

    /// A GET endpoint written by hand (the macro's output is tested in the
    /// workspace's tests crate).
    struct AttributeGet(&'static str);
    impl Validate for AttributeGet {
        fn validate_into(&self, _: &mut Report) {}
    }
    impl Endpoint for AttributeGet {
        const PATH: &'static str = "/conversation/attribute/get.json";
        const ENCODING: Encoding = Encoding::Form;
        const METHOD: HttpMethod = HttpMethod::Get;
        const MAX_RECIPIENTS: Option<usize> = None;
        const RESPONSE_SHAPE: ResponseShape = ResponseShape::new(10000, "msg");
        type Response = CodeOnly;
        fn encode_body(&self) -> Result<Vec<u8>, EncodeError> {
            Ok(self.0.as_bytes().to_vec())
        }
    }

    #[test]
    fn a_get_sends_its_parameters_in_the_query_string_signed_with_no_body() {
        let prepared =
            PreparedRequest::new(&AttributeGet("userId=u1&targetId=a%26b"), RequestId::new())
                .unwrap();
        assert_eq!(prepared.method(), HttpMethod::Get);
        assert_eq!(prepared.query(), Some("userId=u1&targetId=a%26b"));
        let signer = Signer::new(Credentials::new("key", "secret"));
        let base = BaseUrl::parse("https://api.rong-api.com").unwrap();
        let request = prepared.to_http(&base, &signer).unwrap();
        assert_eq!(request.method(), http::Method::GET);
        assert_eq!(
            request.uri(),
            "https://api.rong-api.com/conversation/attribute/get.json?userId=u1&targetId=a%26b"
        );
        assert!(request.body().is_empty());
        assert!(request.headers().get(CONTENT_TYPE).is_none());
        for header in [&APP_KEY, &NONCE, &TIMESTAMP, &SIGNATURE, &REQUEST_ID] {
            assert!(request.headers().contains_key(header), "{header}");
        }

        let empty = PreparedRequest::new(&AttributeGet(""), RequestId::new()).unwrap();
        let request = empty.to_http(&base, &signer).unwrap();
        assert_eq!(
            request.uri(),
            "https://api.rong-api.com/conversation/attribute/get.json"
        );
    }

    #[test]
    fn answers_are_read_with_the_endpoints_shape() {
        let prepared =
            PreparedRequest::new(&AttributeGet(""), RequestId::parse("rid").unwrap()).unwrap();
        assert_eq!(prepared.response_shape(), ResponseShape::new(10000, "msg"));
        let ok: CodeOnly = prepared
            .decode(StatusCode::OK, br#"{"code":10000}"#)
            .unwrap();
        assert_eq!(ok, CodeOnly {});
        let Err(Error::Api(api)) =
            prepared.decode::<CodeOnly>(StatusCode::OK, br#"{"code":1002,"msg":"no"}"#)
        else {
            panic!()
        };
        assert_eq!(api.message(), "no");
        assert_eq!(api.request_id(), Some("rid"));
    }

    #[test]
    fn new_request_ids_are_distinct_version_4_uuids() {
        let ids: Vec<RequestId> = (0..100).map(|_| RequestId::new()).collect();
        let distinct: std::collections::HashSet<&str> = ids.iter().map(RequestId::as_str).collect();
        assert_eq!(distinct.len(), ids.len(), "an id repeated");
        for id in &ids {
            let uuid = uuid::Uuid::parse_str(id.as_str()).expect("a UUID");
            assert_eq!(uuid.get_version_num(), 4, "{id}");
            assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122, "{id}");
            assert_eq!(
                id.as_str(),
                uuid.hyphenated().to_string(),
                "lowercase, hyphenated"
            );
        }
    }
}
