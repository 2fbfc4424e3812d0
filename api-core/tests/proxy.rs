//! The transport goes through the HTTP proxy that the standard variables
//! name: `https://` hosts through a `CONNECT` tunnel (TLS end to end),
//! `http://` hosts by forwarding; `NO_PROXY` hosts directly. A proxy's own
//! failures are [`TransportErrorKind::Proxy`], not sent.
//!
//! The variables are given to [`Proxies::from_lookup`], not set in the
//! process's environment, which every test shares.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use api_core::rustls::HandshakeKind;
use api_core::{
    Client, Credentials, Delivery, Error, HyperTransport, Pacing, Proxies, RetryPolicy,
    TransportErrorKind,
};
use tokio::net::TcpListener;

#[path = "support/tls.rs"]
mod tls;

#[path = "support/proxy.rs"]
mod proxy;

use proxy::{Mode, Proxy, Seen, plain_server};
use tls::{Ping, certificate, client_tls, tls_server};

/// A client of `base_url` whose transport reads `variables` as its
/// environment and trusts the test certificate. A single attempt, so that
/// a failure is seen as it is.
fn client(
    base_url: &str,
    certificate: &api_core::rustls::pki_types::CertificateDer<'static>,
    variables: &[(&str, &str)],
) -> Client {
    let variables: HashMap<String, String> = variables
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    let transport = HyperTransport::builder()
        .connect_timeout(Duration::from_secs(5))
        .tls(client_tls(certificate))
        .proxies(Proxies::from_lookup(|name| variables.get(name).cloned()))
        .build()
        .unwrap();
    Client::builder(Credentials::new("app-key", "app-secret"))
        .base_urls([base_url])
        .pacing(Pacing::disabled())
        .retry_policy(RetryPolicy::disabled())
        .transport(transport)
        .build()
        .unwrap()
}

fn port_of(url: &str) -> &str {
    url.rsplit(':').next().unwrap()
}

#[tokio::test]
async fn an_https_host_is_reached_through_a_connect_tunnel() {
    let (certificate, key) = certificate();
    let (base_url, handshakes) = tls_server(certificate.clone(), key).await;
    let proxy = Proxy::start(Mode::Open).await;
    let client = client(&base_url, &certificate, &[("HTTPS_PROXY", &proxy.url)]);
    for _ in 0..3 {
        client.send(&Ping).await.unwrap();
    }
    // One tunnel, kept alive for the three calls; TLS ran end to end, with
    // the server's certificate checked by the client.
    let tunnel = format!("CONNECT 127.0.0.1:{} HTTP/1.1", port_of(&base_url));
    assert_eq!(
        proxy.seen(),
        [Seen {
            request_line: tunnel,
            authorization: None
        }]
    );
    assert_eq!(*handshakes.lock().unwrap(), [Some(HandshakeKind::Full)]);
}

#[tokio::test]
async fn an_http_host_is_reached_by_forwarding() {
    let (certificate, _) = certificate();
    let (base_url, answered) = plain_server().await;
    let proxy = Proxy::start(Mode::Open).await;
    let client = client(&base_url, &certificate, &[("http_proxy", &proxy.url)]);
    client.send(&Ping).await.unwrap();
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].request_line,
        format!("POST {base_url}/ping.json HTTP/1.1"),
        "absolute form, to the proxy"
    );
    assert_eq!(answered.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn all_proxy_serves_either_scheme_and_no_proxy_bypasses_it() {
    let (certificate, key) = certificate();
    let (https_url, handshakes) = tls_server(certificate.clone(), key).await;
    let (http_url, answered) = plain_server().await;
    let proxy = Proxy::start(Mode::Open).await;
    let all = [("ALL_PROXY", proxy.url.as_str())];
    client(&https_url, &certificate, &all)
        .send(&Ping)
        .await
        .unwrap();
    client(&http_url, &certificate, &all)
        .send(&Ping)
        .await
        .unwrap();
    assert_eq!(proxy.seen().len(), 2);

    let bypassed = [
        ("ALL_PROXY", proxy.url.as_str()),
        ("NO_PROXY", "example.com, 127.0.0.1"),
    ];
    client(&https_url, &certificate, &bypassed)
        .send(&Ping)
        .await
        .unwrap();
    client(&http_url, &certificate, &bypassed)
        .send(&Ping)
        .await
        .unwrap();
    assert_eq!(proxy.seen().len(), 2, "the proxy saw no more");
    assert_eq!(handshakes.lock().unwrap().len(), 2);
    assert_eq!(answered.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn credentials_in_the_proxy_url_are_sent_to_the_proxy() {
    let (certificate, key) = certificate();
    let (https_url, _) = tls_server(certificate.clone(), key).await;
    let (http_url, _) = plain_server().await;
    // "user:p@ss" in Basic, from the percent-encoded URL.
    let expected = "Basic dXNlcjpwQHNz";
    let proxy = Proxy::start(Mode::Credentials(expected)).await;
    let with_credentials = proxy.url.replace("http://", "http://user:p%40ss@");
    let variables = [
        ("HTTPS_PROXY", with_credentials.as_str()),
        ("HTTP_PROXY", with_credentials.as_str()),
    ];
    client(&https_url, &certificate, &variables)
        .send(&Ping)
        .await
        .unwrap();
    client(&http_url, &certificate, &variables)
        .send(&Ping)
        .await
        .unwrap();
    let seen = proxy.seen();
    assert_eq!(seen.len(), 2);
    assert!(
        seen.iter()
            .all(|seen| seen.authorization.as_deref() == Some(expected)),
        "{seen:?}"
    );
}

/// The call's error: a proxy failure, not sent.
async fn proxy_failure(client: &Client) -> Error {
    let error = client.send(&Ping).await.unwrap_err();
    match &error {
        Error::Transport(transport) => {
            assert_eq!(transport.kind(), TransportErrorKind::Proxy, "{error}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(error.delivery(), Delivery::NotSent, "{error}");
    error
}

#[tokio::test]
async fn a_proxy_that_wants_credentials_or_refuses_fails_the_call_not_sent() {
    let (certificate, key) = certificate();
    let (https_url, handshakes) = tls_server(certificate.clone(), key).await;
    let (http_url, answered) = plain_server().await;

    let wants = Proxy::start(Mode::Credentials("Basic dXNlcjpwQHNz")).await;
    let variables = [("ALL_PROXY", wants.url.as_str())];
    let error = proxy_failure(&client(&https_url, &certificate, &variables)).await;
    assert!(error.to_string().contains("authorization"), "{error}");
    let error = proxy_failure(&client(&http_url, &certificate, &variables)).await;
    assert!(error.to_string().contains("407"), "{error}");

    let refuses = Proxy::start(Mode::Refuses).await;
    let variables = [("ALL_PROXY", refuses.url.as_str())];
    proxy_failure(&client(&https_url, &certificate, &variables)).await;

    // A proxy that is not there.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gone = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let variables = [("ALL_PROXY", gone.as_str())];
    let error = proxy_failure(&client(&https_url, &certificate, &variables)).await;
    assert!(error.to_string().contains(&gone), "{error}");
    proxy_failure(&client(&http_url, &certificate, &variables)).await;

    // Nothing reached the hosts.
    assert!(handshakes.lock().unwrap().is_empty());
    assert_eq!(answered.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_proxy_reached_over_tls_or_socks_is_reported_unsupported() {
    let (certificate, key) = certificate();
    let (https_url, handshakes) = tls_server(certificate.clone(), key).await;
    for proxy in ["https://127.0.0.1:1", "socks5h://127.0.0.1:1"] {
        let error = proxy_failure(&client(&https_url, &certificate, &[("ALL_PROXY", proxy)])).await;
        assert!(error.to_string().contains(proxy), "{error}");
        assert!(error.to_string().contains("only http://"), "{error}");
    }
    assert!(handshakes.lock().unwrap().is_empty());
}
