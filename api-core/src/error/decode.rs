//! Answers that are not the documented JSON: a gateway's HTML page, an
//! empty or truncated body, a success whose fields do not fit.

use std::time::Duration;

use http::StatusCode;

/// The longest part of an undecodable body kept in a [`DecodeError`].
pub const MAX_BODY_EXCERPT: usize = 1024;

/// The server answered something that is not the documented JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "could not decode the answer (HTTP {status}): {reason}; body: {body:?}{}",
    request_id.as_deref().map(|id| format!(" [request id {id}]")).unwrap_or_default()
)]
pub struct DecodeError {
    status: StatusCode,
    body: String,
    reason: String,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    /// The body said `"code":200`: the server acted on the request, only
    /// its answer did not fit the documented shape.
    success_code: bool,
}

/// JSON members whose string values are credentials.
const CREDENTIAL_KEYS: [&str; 1] = ["\"token\""];

/// `text` with the string value of each credential member replaced by
/// `<N bytes redacted>`, up to its closing quote or the end of the excerpt.
/// Written by hand: the excerpt may be cut anywhere or not be JSON at all,
/// so it cannot be parsed and re-serialized.
fn redact_credentials(text: String) -> String {
    if !CREDENTIAL_KEYS.iter().any(|key| text.contains(key)) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    'scan: while let Some((at, key)) = CREDENTIAL_KEYS
        .iter()
        .filter_map(|key| rest.find(key).map(|at| (at, *key)))
        .min()
    {
        let after_key = &rest[at + key.len()..];
        let value = after_key.trim_start();
        if let Some(value) = value.strip_prefix(':') {
            let value = value.trim_start();
            if let Some(inner) = value.strip_prefix('"') {
                // The value's end: the first quote not escaped.
                let mut escaped = false;
                let mut len = inner.len();
                for (i, c) in inner.char_indices() {
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '"' => {
                            len = i;
                            break;
                        }
                        _ => {}
                    }
                }
                let start = rest.len() - inner.len();
                out.push_str(&rest[..start]);
                out.push_str(&format!("<{len} bytes redacted>"));
                rest = &inner[len..];
                continue 'scan;
            }
        }
        out.push_str(&rest[..at + key.len()]);
        rest = after_key;
    }
    out.push_str(rest);
    out
}

impl DecodeError {
    /// A decode error keeping at most [`MAX_BODY_EXCERPT`] bytes of the body,
    /// with the value of every `"token"` member replaced by its length: a
    /// user's token (the answer of `/user/getToken.json`) is a credential,
    /// and errors end up in logs.
    pub fn new(
        status: StatusCode,
        body: &[u8],
        reason: impl Into<String>,
        request_id: Option<String>,
    ) -> Self {
        let mut end = body.len().min(MAX_BODY_EXCERPT);
        let text = loop {
            // Cut on a character boundary; lossy beyond that.
            match std::str::from_utf8(&body[..end]) {
                Ok(text) => break text.to_owned(),
                Err(e) if e.error_len().is_none() => end = e.valid_up_to(),
                Err(_) => break String::from_utf8_lossy(&body[..end]).into_owned(),
            }
        };
        Self {
            status,
            body: redact_credentials(text),
            reason: reason.into(),
            request_id,
            retry_after: None,
            success_code: false,
        }
    }

    /// The same error, with the wait the server asked for in `Retry-After`.
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
    }

    /// The same error, for a body whose `code` said success: the server
    /// acted on the request, and only the rest of its answer is unreadable.
    pub fn with_success_code(mut self) -> Self {
        self.success_code = true;
        self
    }

    /// Whether the body's `code` said success (the request was processed).
    pub fn has_success_code(&self) -> bool {
        self.success_code
    }

    /// How long the server asked the client to wait (`Retry-After`), when
    /// it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The start of the body, at most [`MAX_BODY_EXCERPT`] bytes.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Why it could not be decoded.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The call's `X-Request-ID`.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(body: &str) -> String {
        DecodeError::new(StatusCode::OK, body.as_bytes(), "test", None)
            .body()
            .to_owned()
    }

    #[test]
    fn a_token_never_reaches_the_excerpt() {
        assert_eq!(
            excerpt(r#"{"code":200,"userId":"u1","token":"abc\"def=="}"#),
            r#"{"code":200,"userId":"u1","token":"<10 bytes redacted>"}"#
        );
        assert_eq!(
            excerpt(r#"{"token" : "secret1", "x": {"token":"secret2"}}"#),
            r#"{"token" : "<7 bytes redacted>", "x": {"token":"<7 bytes redacted>"}}"#
        );
        // Cut inside the value: redacted to the end.
        assert_eq!(
            excerpt(r#"{"token":"secr"#),
            r#"{"token":"<4 bytes redacted>"#
        );
    }

    #[test]
    fn other_bodies_are_kept_as_they_are() {
        for body in [
            "<html><body>502 Bad Gateway</body></html>",
            r#"{"code":1002,"errorMessage":"token is required"}"#,
            r#"{"token":12,"tokens":"x"}"#,
            r#"{"token""#,
        ] {
            assert_eq!(excerpt(body), body);
        }
        let error = DecodeError::new(
            StatusCode::OK,
            br#"{"code":200,"token":"s3cr3t"}"#,
            "missing field `userId`",
            None,
        );
        assert!(!error.to_string().contains("s3cr3t"), "{error}");
        assert!(!format!("{error:?}").contains("s3cr3t"), "{error:?}");
    }
}
