//! Sans-IO request building: from an endpoint value to a signed
//! `http::Request`, with no network.

use bytes::Bytes;
use http::header::{CONTENT_TYPE, USER_AGENT};
use http::{HeaderName, HeaderValue, Method};

use crate::endpoint::Endpoint;
use crate::error::{ConfigError, Error};
use crate::hosts::BaseUrl;
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
        self.0.to_str().unwrap_or_default()
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
    content_type: HeaderValue,
    body: Bytes,
    request_id: RequestId,
}

impl PreparedRequest {
    /// Validates `endpoint` (every violation at once) and encodes its body.
    pub fn new<E: Endpoint + ?Sized>(endpoint: &E, request_id: RequestId) -> Result<Self, Error> {
        endpoint.validate()?;
        let body = endpoint.encode_body()?;
        Ok(Self {
            path: E::PATH,
            content_type: HeaderValue::from_static(E::ENCODING.content_type()),
            body: Bytes::from(body),
            request_id,
        })
    }

    /// The endpoint path.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// The encoded body.
    pub fn body(&self) -> &Bytes {
        &self.body
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
        headers.insert(CONTENT_TYPE, self.content_type.clone());
        let mut request = http::Request::new(self.body.clone());
        *request.method_mut() = Method::POST;
        *request.uri_mut() = base.uri(self.path)?;
        *request.headers_mut() = headers;
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
