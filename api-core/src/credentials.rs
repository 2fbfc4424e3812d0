//! App credentials: the App Key and the App Secret that signs every request.

use std::fmt;

/// The App Key and App Secret of one application.
///
/// The secret is only ever read by the [`Signer`](crate::Signer). It has no
/// `Display`, and its `Debug` output is redacted, so a credentials value can
/// be logged or put in an error without leaking the secret.
///
/// ```
/// use api_core::Credentials;
///
/// let credentials = Credentials::new("uwd1c0sxdlx2", "Y1W2MeFwwwRxa0");
/// let shown = format!("{credentials:?}");
/// assert!(shown.contains("uwd1c0sxdlx2"));
/// assert!(!shown.contains("Y1W2MeFwwwRxa0"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    app_key: String,
    app_secret: AppSecret,
}

impl Credentials {
    /// Credentials from an App Key and its App Secret.
    pub fn new(app_key: impl Into<String>, app_secret: impl Into<String>) -> Self {
        Self {
            app_key: app_key.into(),
            app_secret: AppSecret(app_secret.into()),
        }
    }

    /// The App Key, sent in clear in the `App-Key` header.
    pub fn app_key(&self) -> &str {
        &self.app_key
    }

    /// The App Secret.
    pub fn app_secret(&self) -> &AppSecret {
        &self.app_secret
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("app_key", &self.app_key)
            .field("app_secret", &self.app_secret)
            .finish()
    }
}

/// An App Secret. Its `Debug` output is `AppSecret(<redacted>)` and it has no
/// `Display`; the only way to read it is [`AppSecret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct AppSecret(String);

impl AppSecret {
    /// The secret itself. Named so that every read stands out in review.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let credentials = Credentials::new("key-1", "s3cr3t-value");
        let debug = format!("{credentials:?}");
        assert_eq!(
            debug,
            "Credentials { app_key: \"key-1\", app_secret: AppSecret(<redacted>) }"
        );
        let pretty = format!("{credentials:#?}");
        assert!(!pretty.contains("s3cr3t-value"), "{pretty}");
    }
}
