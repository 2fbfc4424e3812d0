//! Reading an answer's body, up to a cap.
//!
//! A server (or a gateway in front of it) may answer with a body of any
//! size. The body is read frame by frame and given up as soon as it is
//! known to pass the cap: at once when its `Content-Length` says so,
//! otherwise when the frames read so far do. What is held is then at most
//! the cap plus one frame (hyper's read buffer, 400 KiB at most).

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Body, Incoming};

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// It is longer than the cap; `declared` is its `Content-Length`, when
    /// it had one that already said so.
    TooLarge { declared: Option<u64> },
    /// The connection failed while it was being read.
    Failed(Box<dyn std::error::Error + Send + Sync>),
}

/// The whole of `body`, if it is at most `cap` bytes long. When it is
/// not, the caller must drop the connection: the rest of the body is still
/// on it.
pub(crate) async fn read_capped(body: Incoming, cap: usize) -> Result<Bytes, BodyError> {
    let declared = body.size_hint().exact();
    if declared.is_some_and(|length| length > cap as u64) {
        return Err(BodyError::TooLarge { declared });
    }
    match Limited::new(body, cap).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(BodyError::TooLarge { declared: None }),
        Err(error) => Err(BodyError::Failed(error)),
    }
}
