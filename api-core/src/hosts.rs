//! Base URLs and the provider's regions.

use std::fmt;
use std::net::IpAddr;

use crate::error::ConfigError;

/// A base URL requests are sent to: `https://host[:port][/prefix]`.
///
/// Plain `http://` is accepted only for a loopback host (`localhost`,
/// `127.0.0.0/8`, `[::1]`), for local servers and tests: credentials'
/// signatures never cross a network in clear.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    text: String,
    host: String,
    // Parsed once, so that building a request's URI per attempt is a few
    // reference-count increments instead of a parse.
    scheme: http::uri::Scheme,
    authority: http::uri::Authority,
    prefix: String,
}

impl BaseUrl {
    /// Parses and checks a base URL.
    ///
    /// ```
    /// use api_core::BaseUrl;
    /// assert!(BaseUrl::parse("https://api.rong-api.com").is_ok());
    /// assert!(BaseUrl::parse("http://127.0.0.1:8080").is_ok());
    /// assert!(BaseUrl::parse("http://api.rong-api.com").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let url = url::Url::parse(text.trim())
            .map_err(|e| ConfigError::new(format!("bad base URL {text:?}: {e}")))?;
        let host = url
            .host_str()
            .ok_or_else(|| ConfigError::new(format!("base URL {text:?} has no host")))?
            .to_owned();
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => {
                return Err(ConfigError::new(format!(
                    "base URL {text:?}: plain http is only allowed for a loopback host; use https"
                )));
            }
            other => {
                return Err(ConfigError::new(format!(
                    "base URL {text:?}: unsupported scheme {other:?}"
                )));
            }
        }
        if url.query().is_some()
            || url.fragment().is_some()
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return Err(ConfigError::new(format!(
                "base URL {text:?} must not have credentials, a query or a fragment"
            )));
        }
        let text = url.as_str().trim_end_matches('/').to_owned();
        let uri: http::Uri = text
            .parse()
            .map_err(|e| ConfigError::new(format!("bad base URL {text:?}: {e}")))?;
        let parts = uri.into_parts();
        let (Some(scheme), Some(authority)) = (parts.scheme, parts.authority) else {
            return Err(ConfigError::new(format!(
                "base URL {text:?} has no scheme or host"
            )));
        };
        let prefix = url.path().trim_end_matches('/').to_owned();
        Ok(Self {
            text,
            host,
            scheme,
            authority,
            prefix,
        })
    }

    /// The URI of `path` (which starts with `/`) below this base.
    pub fn uri(&self, path: &'static str) -> Result<http::Uri, ConfigError> {
        let path_and_query = if self.prefix.is_empty() {
            http::uri::PathAndQuery::from_static(path)
        } else {
            http::uri::PathAndQuery::try_from(format!("{}{path}", self.prefix))
                .map_err(|e| ConfigError::new(format!("bad path {path:?}: {e}")))?
        };
        // From its parts rather than `Uri::builder()`, whose chain of
        // `Result`s moves the parts through each step.
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        parts.path_and_query = Some(path_and_query);
        http::Uri::from_parts(parts)
            .map_err(|e| ConfigError::new(format!("bad path {path:?}: {e}")))
    }

    /// The host name (for errors and traces).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The URL as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({})", self.text)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A data centre of the provider, with its primary and backup host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Region {
    /// Beijing (the default): `api.rong-api.com`, `api-b.rong-api.com`.
    #[default]
    Beijing,
    /// Singapore: `api.sg-light-api.com`, `api-b.sg-light-api.com`.
    Singapore,
    /// Singapore B: `api.sg-b-light-api.com`, `api-b.sg-b-light-api.com`.
    SingaporeB,
    /// North America: `api.us-light-api.com`, `api-b.us-light-api.com`.
    NorthAmerica,
    /// Saudi Arabia: `api.sau-light-api.com`, `api-b.sau-light-api.com`.
    SaudiArabia,
}

impl Region {
    /// The primary and the backup base URL.
    pub fn base_urls(self) -> [&'static str; 2] {
        match self {
            Region::Beijing => ["https://api.rong-api.com", "https://api-b.rong-api.com"],
            Region::Singapore => [
                "https://api.sg-light-api.com",
                "https://api-b.sg-light-api.com",
            ],
            Region::SingaporeB => [
                "https://api.sg-b-light-api.com",
                "https://api-b.sg-b-light-api.com",
            ],
            Region::NorthAmerica => [
                "https://api.us-light-api.com",
                "https://api-b.us-light-api.com",
            ],
            Region::SaudiArabia => [
                "https://api.sau-light-api.com",
                "https://api-b.sau-light-api.com",
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:1",
            "http://localhost:8080/",
            "http://[::1]:9",
            "http://127.9.9.9",
            "https://example.com/prefix/",
        ] {
            assert!(BaseUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1",
            "http://example.com",
            "ftp://x",
            "https://a/?q=1",
            "https://u:p@a",
            "nonsense",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn uri_has_one_slash() {
        let base = BaseUrl::parse("https://example.com/prefix/").unwrap();
        assert_eq!(
            base.uri("/push.json").unwrap(),
            "https://example.com/prefix/push.json"
        );
        let plain = BaseUrl::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(
            plain.uri("/push.json").unwrap(),
            "http://127.0.0.1:8080/push.json"
        );
        assert_eq!(base.host(), "example.com");
        for region in [
            Region::Beijing,
            Region::Singapore,
            Region::SingaporeB,
            Region::NorthAmerica,
            Region::SaudiArabia,
        ] {
            for url in region.base_urls() {
                assert!(BaseUrl::parse(url).is_ok());
            }
        }
    }
}
