//! Receiving callbacks in axum (feature `axum`): an extractor that verifies
//! and reads a callback, and a tower layer that verifies every request of a
//! router.
//!
//! Both answer a refused callback themselves, before any handler runs, with
//! a short `text/plain` body naming the failed check (never the App
//! Secret):
//!
//! | refusal | status |
//! |---|---|
//! | no signature, a missing, duplicated, mixed or malformed parameter, a wrong signature | `401 Unauthorized` (with a `WWW-Authenticate` challenge, as HTTP requires) |
//! | a stale or future timestamp, a replay, another application's `appKey` | `403 Forbidden` |
//! | the replay guard's store failed or is full | `503 Service Unavailable` |
//! | a body that is not the expected payload | `400 Bad Request` |
//!
//! The signature is checked before the body is read, so an unsigned request
//! costs no body buffering. The body limit is axum's
//! (`DefaultBodyLimit`, 2 MB unless changed), answered with `413`.
//!
//! ```
//! use axum::{Router, routing::post};
//! use api_core::Credentials;
//! use api_core::callback::axum::VerifiedCallback;
//! use api_core::callback::{CallbackVerifier, MemoryReplayGuard, MessageRoute, UserOnlineStatus};
//!
//! async fn routed(VerifiedCallback { payload, .. }: VerifiedCallback<MessageRoute>) -> &'static str {
//!     println!("{} sent {} to {}", payload.from_user_id, payload.object_name, payload.to_user_id);
//!     "ok"
//! }
//!
//! async fn presence(callback: VerifiedCallback<Vec<UserOnlineStatus>>) {
//!     for event in callback.payload {
//!         println!("{} is now {:?}", event.userid, event.status);
//!     }
//! }
//!
//! let verifier = CallbackVerifier::new(Credentials::new("app-key", "app-secret"))
//!     .with_replay_guard(MemoryReplayGuard::new());
//! let app: Router = Router::new()
//!     .route("/rongcloud/message", post(routed))
//!     .route("/rongcloud/presence", post(presence))
//!     .with_state(verifier);
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum_core::body::Body;
use axum_core::extract::rejection::BytesRejection;
use axum_core::extract::{FromRef, FromRequest, Request};
use axum_core::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};

use super::{CallbackVerifier, FromCallbackBody, PayloadError, Verified, VerifyError};

/// The challenge a `401` carries: HTTP requires one, and no standard scheme
/// describes a signature in the query string.
const CHALLENGE: &str = "RongCloud-Signature realm=\"callback\"";

/// A verified callback and its payload: an axum extractor.
///
/// Verifies the query string with the [`CallbackVerifier`] of the router's
/// state (anything the verifier can be taken from with [`FromRef`]), then
/// reads the body as `T` ([`MessageRoute`](super::MessageRoute),
/// `Vec<`[`UserOnlineStatus`](super::UserOnlineStatus)`>`,
/// `Vec<`[`ChatroomStatus`](super::ChatroomStatus)`>`, or [`Bytes`] for a
/// callback without a typed payload). As the body is consumed, it is the
/// last argument of the handler. A refusal is a [`CallbackRejection`].
///
/// Behind a [`VerifyCallbackLayer`] the request is not verified a second
/// time (which the replay guard would refuse as a replay): the layer's
/// [`Verified`] is used.
#[derive(Debug, Clone)]
pub struct VerifiedCallback<T> {
    /// The payload read from the body.
    pub payload: T,
    /// What was signed.
    pub verified: Verified,
}

impl<S, T> FromRequest<S> for VerifiedCallback<T>
where
    S: Send + Sync,
    T: FromCallbackBody,
    CallbackVerifier: FromRef<S>,
{
    type Rejection = CallbackRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let verified = match parts.extensions.remove::<Verified>() {
            Some(verified) => verified,
            None => {
                let verifier = CallbackVerifier::from_ref(state);
                let query = parts.uri.query().unwrap_or_default();
                verifier.verify(query).await.inspect_err(trace)?
            }
        };
        let body = Bytes::from_request(Request::from_parts(parts, body), state).await?;
        let payload = T::from_callback_body(body)?;
        Ok(Self { payload, verified })
    }
}

/// Why [`VerifiedCallback`] refused a request; answers with the status the
/// [module documentation](self) lists.
#[derive(Debug)]
#[non_exhaustive]
pub enum CallbackRejection {
    /// The query string did not verify.
    Unverified(VerifyError),
    /// The body could not be read (too large, or the connection failed).
    Body(BytesRejection),
    /// The body is not the expected payload.
    Payload(PayloadError),
}

impl From<VerifyError> for CallbackRejection {
    fn from(error: VerifyError) -> Self {
        CallbackRejection::Unverified(error)
    }
}

impl From<BytesRejection> for CallbackRejection {
    fn from(error: BytesRejection) -> Self {
        CallbackRejection::Body(error)
    }
}

impl From<PayloadError> for CallbackRejection {
    fn from(error: PayloadError) -> Self {
        CallbackRejection::Payload(error)
    }
}

impl fmt::Display for CallbackRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallbackRejection::Unverified(error) => write!(f, "callback refused: {error}"),
            CallbackRejection::Body(error) => write!(f, "callback body unreadable: {error}"),
            CallbackRejection::Payload(error) => write!(f, "callback payload refused: {error}"),
        }
    }
}

impl std::error::Error for CallbackRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallbackRejection::Unverified(error) => Some(error),
            CallbackRejection::Body(error) => Some(error),
            CallbackRejection::Payload(error) => Some(error),
        }
    }
}

impl IntoResponse for CallbackRejection {
    fn into_response(self) -> Response {
        match self {
            CallbackRejection::Unverified(error) => error.into_response(),
            CallbackRejection::Body(error) => error.into_response(),
            CallbackRejection::Payload(error) => error.into_response(),
        }
    }
}

/// The status that answers a refused signature.
fn status_of(error: &VerifyError) -> StatusCode {
    match error {
        VerifyError::Stale { .. }
        | VerifyError::FromTheFuture { .. }
        | VerifyError::Replayed
        | VerifyError::AppKeyMismatch { .. } => StatusCode::FORBIDDEN,
        VerifyError::ReplayGuard(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::UNAUTHORIZED,
    }
}

fn text(status: StatusCode, message: String) -> Response {
    let mut response = Response::new(Body::from(message));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// A `401`, `403` or `503` with the failed check in a `text/plain` body, so
/// that a handler verifying by hand can answer with the error.
impl IntoResponse for VerifyError {
    fn into_response(self) -> Response {
        let status = status_of(&self);
        let mut response = text(status, format!("callback refused: {self}\n"));
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(CHALLENGE),
            );
        }
        response
    }
}

/// A `400` naming the field at fault.
impl IntoResponse for PayloadError {
    fn into_response(self) -> Response {
        text(
            StatusCode::BAD_REQUEST,
            format!("callback payload refused: {self}\n"),
        )
    }
}

/// Logs a refusal: at `warn` when the replay guard's store failed (an
/// operator must act), at `debug` otherwise (anyone can send a bad request).
fn trace(error: &VerifyError) {
    if matches!(error, VerifyError::ReplayGuard(_)) {
        tracing::warn!(%error, "callback refused");
    } else {
        tracing::debug!(%error, "callback refused");
    }
}

/// A tower layer that verifies every request of the routes it wraps and
/// answers the refused ones itself (statuses in the
/// [module documentation](self)); the inner service sees only verified
/// requests, with their [`Verified`] in the request extensions (read it
/// with `axum::Extension<Verified>`, or use [`VerifiedCallback`], which
/// takes it from there).
///
/// ```
/// use axum::body::Bytes;
/// use axum::{Extension, Router, routing::post};
/// use api_core::Credentials;
/// use api_core::callback::axum::VerifyCallbackLayer;
/// use api_core::callback::{CallbackVerifier, Verified};
///
/// // A callback with no typed payload here: the raw body, verified.
/// async fn profile_sync(Extension(verified): Extension<Verified>, body: Bytes) -> &'static str {
///     println!("{} bytes signed at {}", body.len(), verified.signed_at_millis());
///     "ok"
/// }
///
/// let verifier = CallbackVerifier::new(Credentials::new("app-key", "app-secret"));
/// let app: Router = Router::new()
///     .route("/rongcloud/profile", post(profile_sync))
///     .layer(VerifyCallbackLayer::new(verifier));
/// ```
#[derive(Debug, Clone)]
pub struct VerifyCallbackLayer {
    verifier: CallbackVerifier,
}

impl VerifyCallbackLayer {
    /// A layer verifying with `verifier`.
    pub fn new(verifier: CallbackVerifier) -> Self {
        Self { verifier }
    }
}

impl<S> tower_layer::Layer<S> for VerifyCallbackLayer {
    type Service = VerifyCallback<S>;

    fn layer(&self, inner: S) -> Self::Service {
        VerifyCallback {
            inner,
            verifier: self.verifier.clone(),
        }
    }
}

/// The service [`VerifyCallbackLayer`] wraps around a route.
#[derive(Debug, Clone)]
pub struct VerifyCallback<S> {
    inner: S,
    verifier: CallbackVerifier,
}

impl<S, B> tower_service::Service<http::Request<B>> for VerifyCallback<S>
where
    S: tower_service::Service<http::Request<B>, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        // The service polled ready goes into the future; a clone, not yet
        // polled, stays for the next call (tower's documented pattern).
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let verifier = self.verifier.clone();
        Box::pin(async move {
            let query = request.uri().query().unwrap_or_default();
            match verifier.verify(query).await {
                Ok(verified) => {
                    request.extensions_mut().insert(verified);
                    inner.call(request).await
                }
                Err(error) => {
                    trace(&error);
                    Ok(error.into_response())
                }
            }
        })
    }
}
