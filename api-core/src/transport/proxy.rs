//! Which proxy, if any, a host is reached through.
//!
//! The rules are curl's, as implemented by hyper-util's proxy
//! [`Matcher`]: `HTTPS_PROXY` for `https://` hosts, `HTTP_PROXY` for
//! `http://` hosts, `ALL_PROXY` for either when its own variable is unset,
//! each also in lower case (upper case first); `NO_PROXY` lists hosts,
//! domains (with their subdomains) and IP networks reached directly, or
//! `*` for all. As hyper-util does, no variable is honoured when
//! `REQUEST_METHOD` is set (a CGI script, where `HTTP_PROXY` may come from
//! a request header: "httpoxy").

use std::fmt;
use std::sync::Arc;

use hyper_util::client::proxy::matcher::{Intercept, Matcher};

/// The proxies a [`HyperTransport`](crate::HyperTransport) goes through.
///
/// An HTTP proxy is supported: `https://` hosts are reached through a
/// `CONNECT` tunnel (TLS runs end to end, the proxy sees only the host
/// name), `http://` hosts by forwarding the request to the proxy. Basic
/// credentials in the proxy's URL (`http://user:password@proxy:3128`) are
/// sent as `Proxy-Authorization`. A proxy reached over TLS (`https://` in
/// the variable) or SOCKS is not supported: calls through it fail with
/// [`TransportErrorKind::Proxy`](crate::TransportErrorKind::Proxy), not
/// sent.
///
/// ```
/// use api_core::{HyperTransport, Proxies};
///
/// // What a client built without a transport uses.
/// let from_env = Proxies::from_env();
/// // Explicit settings, say from a configuration file.
/// let explicit = Proxies::from_lookup(|name| match name {
///     "HTTPS_PROXY" => Some("http://proxy.internal:3128".to_owned()),
///     "NO_PROXY" => Some("localhost,127.0.0.1".to_owned()),
///     _ => None,
/// });
/// let transport = HyperTransport::builder().proxies(explicit).build()?;
/// # Ok::<(), api_core::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Proxies {
    /// `None` when no variable names a proxy.
    matcher: Option<Arc<Matcher>>,
}

impl Proxies {
    /// The proxies the process's environment names.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The proxies named by the variables `lookup` returns (called with
    /// `HTTPS_PROXY`, `https_proxy`, `NO_PROXY`, ...), read as the
    /// environment would be.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        if lookup("REQUEST_METHOD").is_some() {
            return Self::none();
        }
        let first = |names: [&str; 2]| names.iter().find_map(|name| lookup(name));
        let all = first(["ALL_PROXY", "all_proxy"]);
        let http = first(["HTTP_PROXY", "http_proxy"]);
        let https = first(["HTTPS_PROXY", "https_proxy"]);
        if [&all, &http, &https]
            .iter()
            .all(|value| value.as_deref().unwrap_or_default().is_empty())
        {
            return Self::none();
        }
        let matcher = Matcher::builder()
            .all(all.unwrap_or_default())
            .http(http.unwrap_or_default())
            .https(https.unwrap_or_default())
            .no(first(["NO_PROXY", "no_proxy"]).unwrap_or_default())
            .build();
        Self {
            matcher: Some(Arc::new(matcher)),
        }
    }

    /// No proxy: every host is reached directly.
    pub fn none() -> Self {
        Self { matcher: None }
    }

    /// The proxy for `target` (`scheme://host:port`), if any.
    pub(crate) fn route(&self, target: &http::Uri) -> Route {
        let Some(intercept) = self.matcher.as_ref().and_then(|m| m.intercept(target)) else {
            return Route::Direct;
        };
        match intercept.uri().scheme_str() {
            Some("http") => Route::Proxy(intercept),
            _ => Route::Unsupported(intercept.uri().clone()),
        }
    }
}

impl Default for Proxies {
    /// [`Proxies::from_env`].
    fn default() -> Self {
        Self::from_env()
    }
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // hyper-util's Debug leaves credentials out.
        match &self.matcher {
            Some(matcher) => fmt::Debug::fmt(matcher, f),
            None => f.write_str("Proxies(none)"),
        }
    }
}

/// How a host is reached.
#[derive(Debug)]
pub(crate) enum Route {
    Direct,
    /// Through this HTTP proxy.
    Proxy(Intercept),
    /// Through this proxy (its URL without credentials), which the
    /// transport cannot use: not `http://`.
    Unsupported(http::Uri),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn proxies(vars: &[(&str, &str)]) -> Proxies {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Proxies::from_lookup(|name| vars.get(name).cloned())
    }

    /// The proxy URL for `target`, `"direct"`, or `"unsupported <URL>"`.
    fn route(proxies: &Proxies, target: &str) -> String {
        match proxies.route(&target.parse().unwrap()) {
            Route::Direct => "direct".to_owned(),
            Route::Proxy(intercept) => intercept.uri().to_string(),
            Route::Unsupported(proxy) => format!("unsupported {proxy}"),
        }
    }

    const API: &str = "https://api.rong-api.com:443";
    const LOCAL: &str = "http://127.0.0.1:9000";

    #[test]
    fn nothing_set_is_direct() {
        for set in [&[][..], &[("HTTPS_PROXY", ""), ("NO_PROXY", "example.com")]] {
            let proxies = proxies(set);
            assert!(proxies.matcher.is_none());
            assert_eq!(route(&proxies, API), "direct");
        }
    }

    #[test]
    fn each_scheme_has_its_variable_and_all_proxy_fills_in() {
        let p = proxies(&[("HTTPS_PROXY", "http://s.proxy:3128")]);
        assert_eq!(route(&p, API), "http://s.proxy:3128/");
        assert_eq!(route(&p, LOCAL), "direct");
        let p = proxies(&[("http_proxy", "h.proxy:8080")]);
        assert_eq!(route(&p, API), "direct");
        assert_eq!(route(&p, LOCAL), "http://h.proxy:8080/");
        let p = proxies(&[
            ("ALL_PROXY", "http://all.proxy:1"),
            ("HTTPS_PROXY", "http://s.proxy:2"),
        ]);
        assert_eq!(route(&p, API), "http://s.proxy:2/");
        assert_eq!(route(&p, LOCAL), "http://all.proxy:1/");
    }

    #[test]
    fn upper_case_comes_first() {
        let p = proxies(&[
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:2"),
        ]);
        assert_eq!(route(&p, API), "http://upper:1/");
    }

    #[test]
    fn no_proxy_lists_hosts_domains_and_networks() {
        let p = proxies(&[
            ("ALL_PROXY", "http://proxy:3128"),
            ("NO_PROXY", "rong-api.com, 127.0.0.0/8"),
        ]);
        assert_eq!(route(&p, API), "direct");
        assert_eq!(route(&p, "https://api-b.rong-api.com:443"), "direct");
        assert_eq!(route(&p, LOCAL), "direct");
        assert_eq!(
            route(&p, "https://api.us-light-api.com:443"),
            "http://proxy:3128/"
        );
        let p = proxies(&[("ALL_PROXY", "http://proxy:3128"), ("no_proxy", "*")]);
        assert_eq!(route(&p, API), "direct");
    }

    #[test]
    fn credentials_become_basic_auth_and_stay_out_of_debug() {
        let p = proxies(&[("HTTPS_PROXY", "http://user:s3cret@proxy:3128")]);
        let Route::Proxy(intercept) = p.route(&API.parse().unwrap()) else {
            panic!("expected a proxy");
        };
        assert_eq!(intercept.basic_auth().unwrap(), "Basic dXNlcjpzM2NyZXQ=");
        assert_eq!(intercept.uri().to_string(), "http://proxy:3128/");
        assert!(!format!("{p:?}").contains("s3cret"), "{p:?}");
    }

    #[test]
    fn tls_and_socks_proxies_are_reported_unsupported() {
        let p = proxies(&[("HTTPS_PROXY", "https://proxy:443")]);
        assert_eq!(route(&p, API), "unsupported https://proxy:443/");
        let p = proxies(&[("ALL_PROXY", "socks5h://proxy:1080")]);
        assert_eq!(route(&p, API), "unsupported socks5h://proxy:1080/");
    }

    #[test]
    fn a_cgi_environment_ignores_every_variable() {
        let p = proxies(&[
            ("REQUEST_METHOD", "GET"),
            ("HTTP_PROXY", "http://from-a-header:1"),
        ]);
        assert_eq!(route(&p, LOCAL), "direct");
    }
}
