//! What an app's back end does first: `cargo run --example app_backend`.
//!
//! Registers two users (each gets the token its app logs in with), creates a
//! group of both, sends a group message, receives the provider's signed
//! message-routing callback for it on a local axum handler that verifies
//! the signature and freshness, recalls the message, and lists the group's
//! members. One line per step; exits non-zero if a step failed.
//!
//! - With no `RONGCLOUD_APP_KEY` set, it starts the local emulator
//!   (`api-emulator`) in-process, configured to post its callbacks to the
//!   handler.
//! - With `RONGCLOUD_APP_KEY` and `RONGCLOUD_APP_SECRET` set (and optionally
//!   `RONGCLOUD_API_URL`, `RONGCLOUD_TIMEOUT_MS`), it talks to that server.
//!   The handler listens on `APP_BACKEND_LISTEN` (default `127.0.0.1:3000`);
//!   the account's message-routing callback URL (set in the provider's
//!   console) must reach it at `/rongcloud/message`. Without it the example
//!   says the callback did not come within `APP_BACKEND_CALLBACK_WAIT_MS`
//!   (default 10 s) and goes on.
//!
//! The user, group and message ids end in a suffix of the current time, so
//! a run on an account does not touch groups of earlier runs.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use api_core::callback::axum::VerifiedCallback;
use api_core::callback::{CallbackVerifier, MemoryReplayGuard, MessageRoute};
use api_core::{Client, Credentials, Error};
use api_emulator::Emulator;
use api_endpoints::{
    GroupCreate, GroupMemberQuery, GroupPublish, Recall, TextMessage, UserRegister,
};
use axum::Router;
use axum::extract::State;
use axum::routing::post;
use tokio::sync::mpsc;

/// Where the handler listens when the run is on an account.
const DEFAULT_LISTEN: &str = "127.0.0.1:3000";
/// The handler's path.
const CALLBACK_PATH: &str = "/rongcloud/message";

/// The handler's state: the verifier (which the extractor takes from it)
/// and where verified callbacks go.
#[derive(Clone)]
struct Receiver {
    verifier: CallbackVerifier,
    routed: mpsc::UnboundedSender<MessageRoute>,
}

impl axum::extract::FromRef<Receiver> for CallbackVerifier {
    fn from_ref(receiver: &Receiver) -> Self {
        receiver.verifier.clone()
    }
}

/// The message-routing callback: reached only when the signature, the
/// timestamp's freshness and the nonce (never seen before) all check out;
/// the extractor answers anything else itself (401, 403).
async fn routed(
    State(receiver): State<Receiver>,
    VerifiedCallback { payload, .. }: VerifiedCallback<MessageRoute>,
) -> &'static str {
    let _ = receiver.routed.send(payload);
    "ok"
}

/// The client, and the emulator when this run embeds one (posting its
/// callbacks to `callback_url`).
async fn connect(callback_url: &str) -> Result<(Client, Credentials, Option<Emulator>), Error> {
    let configured = std::env::var("RONGCLOUD_APP_KEY").is_ok_and(|key| !key.trim().is_empty());
    if configured {
        let client = Client::from_env()?;
        // The verifier checks callbacks against the same App Key and Secret
        // (`from_env` has just refused a missing secret).
        let credentials = Credentials::new(
            std::env::var("RONGCLOUD_APP_KEY")
                .unwrap_or_default()
                .trim(),
            std::env::var("RONGCLOUD_APP_SECRET")
                .unwrap_or_default()
                .trim(),
        );
        println!("using the server named by RONGCLOUD_API_URL (default: the Beijing region)");
        return Ok((client, credentials, None));
    }
    let emulator = Emulator::builder()
        .callback_url(callback_url)
        .start()
        .await
        .map_err(|e| api_core::ConfigError::new(format!("cannot start the emulator: {e}")))?;
    println!(
        "no RONGCLOUD_APP_KEY: using the local emulator at {}, posting callbacks to {callback_url}",
        emulator.base_url()
    );
    let credentials = Credentials::new(emulator.app_key(), emulator.app_secret());
    let client = Client::builder(credentials.clone())
        .base_urls(emulator.base_urls())
        .build()?;
    Ok((client, credentials, Some(emulator)))
}

/// Prints a step's outcome; false when it failed.
fn step<T>(label: &str, result: &Result<T, Error>, shown: impl Fn(&T) -> String) -> bool {
    match result {
        Ok(answer) => {
            println!("{label:<34} ok      {}", shown(answer));
            true
        }
        Err(error) => {
            println!("{label:<34} FAILED  {error}");
            false
        }
    }
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned())
}

#[tokio::main]
async fn main() -> ExitCode {
    let embedded = std::env::var("RONGCLOUD_APP_KEY").map_or(true, |key| key.trim().is_empty());
    // The handler first: the embedded emulator needs its address.
    let listen = if embedded {
        "127.0.0.1:0".to_owned()
    } else {
        env_or("APP_BACKEND_LISTEN", DEFAULT_LISTEN)
    };
    let listener = match listen.parse::<SocketAddr>() {
        Ok(addr) => match tokio::net::TcpListener::bind(addr).await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!("app_backend: cannot listen on {addr}: {error}");
                return ExitCode::FAILURE;
            }
        },
        Err(error) => {
            eprintln!("app_backend: APP_BACKEND_LISTEN {listen:?}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener
        .local_addr()
        .expect("a bound listener has an address");
    let callback_url = format!("http://{local}{CALLBACK_PATH}");

    let (client, credentials, _emulator) = match connect(&callback_url).await {
        Ok(connected) => connected,
        Err(error) => {
            eprintln!("app_backend: {error}");
            return ExitCode::FAILURE;
        }
    };
    let (routed_tx, mut routed_rx) = mpsc::unbounded_channel();
    let receiver = Receiver {
        verifier: CallbackVerifier::new(credentials).with_replay_guard(MemoryReplayGuard::new()),
        routed: routed_tx,
    };
    let app = Router::new()
        .route(CALLBACK_PATH, post(routed))
        .with_state(receiver);
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!("receiving callbacks at {callback_url}");

    let suffix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
        % 1_000_000_000;
    let alice = format!("alice{suffix}");
    let bob = format!("bob{suffix}");
    let group = format!("hikers{suffix}");
    let mut ok = true;

    // 1. Register the users: each token goes to that user's app only, so it
    // is not printed.
    for (user, name) in [(&alice, "Alice"), (&bob, "Bob 🥾")] {
        let registered = client.send(&UserRegister::new(user.as_str(), name)).await;
        ok &= step("POST /user/getToken.json", &registered, |answer| {
            format!(
                "{} has a token of {} bytes",
                answer.user_id,
                answer.token.len()
            )
        });
    }

    // 2. A group of both.
    let created = client
        .send(&GroupCreate::new(
            [&alice, &bob],
            group.as_str(),
            "Weekend hikers & friends",
        ))
        .await;
    ok &= step("POST /group/create.json", &created, |_| group.clone());

    // 3. A group message.
    let text = "Saturday 8:00 at the trailhead: 🥾 & ☕, \"rain or shine\"";
    let published = client
        .send(&GroupPublish::new(
            alice.as_str(),
            [&group],
            TextMessage::new(text),
        ))
        .await;
    ok &= step("POST /message/group/publish.json", &published, |answer| {
        answer.message_uid_for(&group).unwrap_or("-").to_owned()
    });
    let message_uid = published
        .as_ref()
        .ok()
        .and_then(|answer| answer.message_uid_for(&group).map(str::to_owned));

    // 4. The provider routes the message to the app's server, signed.
    let wait = env_or("APP_BACKEND_CALLBACK_WAIT_MS", "10000")
        .parse()
        .map_or(Duration::from_secs(10), Duration::from_millis);
    let routed = tokio::time::timeout(wait, async {
        while let Some(route) = routed_rx.recv().await {
            if Some(&route.msg_uid) == message_uid.as_ref() {
                return Some(route);
            }
        }
        None
    })
    .await;
    match routed {
        Ok(Some(route)) => println!(
            "{:<34} ok      {} from {} in {}: {}",
            "callback (verified)",
            route.msg_uid,
            route.from_user_id,
            route.to_user_id,
            route.object_name
        ),
        _ if embedded => {
            println!(
                "{:<34} FAILED  not received within {wait:?}",
                "callback (verified)"
            );
            ok = false;
        }
        _ => println!(
            "{:<34} not received within {wait:?}: is the account's message-routing URL \
             pointing at {callback_url}?",
            "callback (verified)"
        ),
    }

    // 5. Recall it.
    if let Some(uid) = &message_uid {
        let recalled = client
            .send(&Recall::group(alice.as_str(), group.as_str(), uid.as_str()))
            .await;
        ok &= step("POST /message/recall.json", &recalled, |_| uid.clone());
    }

    // 6. Who is in the group.
    let members = client.send(&GroupMemberQuery::new(group.as_str())).await;
    ok &= step("POST /group/user/query.json", &members, |answer| {
        answer.ids().collect::<Vec<_>>().join(" ")
    });

    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
