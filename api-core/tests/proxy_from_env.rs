//! A client built without a transport goes through the proxy that the
//! process's environment names.
//!
//! A test binary of its own with a single test: it sets `HTTP_PROXY` in
//! the environment, which every test of a binary would share.

use std::sync::atomic::Ordering;

use api_core::{Client, Credentials, Pacing};

#[allow(dead_code)]
#[path = "support/tls.rs"]
mod tls;

#[allow(dead_code)]
#[path = "support/proxy.rs"]
mod proxy;

use proxy::{Mode, Proxy, plain_server};
use tls::Ping;

#[test]
fn the_default_transport_reads_the_proxy_variables() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (base_url, answered) = runtime.block_on(plain_server());
    let proxy = runtime.block_on(Proxy::start(Mode::Open));
    for name in ["NO_PROXY", "no_proxy", "REQUEST_METHOD", "http_proxy"] {
        // SAFETY: this binary's only test, and no thread of its runtime
        // reads the environment.
        unsafe { std::env::remove_var(name) };
    }
    // SAFETY: as above.
    unsafe { std::env::set_var("HTTP_PROXY", &proxy.url) };

    let client = Client::builder(Credentials::new("app-key", "app-secret"))
        .base_urls([&base_url])
        .pacing(Pacing::disabled())
        .build()
        .unwrap();
    runtime.block_on(client.send(&Ping)).unwrap();
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].request_line,
        format!("POST {base_url}/ping.json HTTP/1.1")
    );
    assert_eq!(answered.load(Ordering::SeqCst), 1);
}
