//! A client that cannot be built as configured.

/// The client is misconfigured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub(crate) String);

impl ConfigError {
    /// A configuration error with that explanation.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
