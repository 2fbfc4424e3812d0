//! The README's main command: `cargo run --example quickstart`.
//!
//! Sends one call for each documented example request, through the typed
//! API, reproducing each example's parameters, and prints one line per call.
//! A call the documented quota does not allow now (the third `/push.json`
//! of an hour on a real account, say) is reported as skipped, with when it
//! would be allowed: that is the quota working, not a failure. Exits
//! non-zero if any call failed.
//!
//! - With no `RONGCLOUD_APP_KEY` set, it starts the local emulator
//!   (`api-emulator`) in-process and talks to it.
//! - With `RONGCLOUD_APP_KEY` and `RONGCLOUD_APP_SECRET` set (and optionally
//!   `RONGCLOUD_API_URL`, `RONGCLOUD_TIMEOUT_MS`), it talks to that server.

use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use api_core::{Client, Credentials, Endpoint, Error, Pacing, RequestId};
use api_emulator::{Clock, Emulator};
use api_endpoints::{PublishResponse, examples};

/// Sends one call and prints `endpoint  request-id  outcome  ids`; false
/// only when the call failed (a call the quota holds back is skipped).
async fn call<E: Endpoint>(
    client: &Client,
    label: &str,
    request: &E,
    ids: impl Fn(&E::Response) -> String,
) -> bool {
    let request_id = RequestId::new();
    let shown = request_id.to_string();
    match client.send_with_id(request, request_id).await {
        Ok(answer) => {
            println!("{label:<44} {shown}  ok      {}", ids(&answer));
            true
        }
        Err(error) => match quota_wait(&error) {
            Some(wait) => {
                println!(
                    "{label:<44} {shown}  skipped the quota of {} allows it {}",
                    E::QUOTA,
                    when(wait)
                );
                true
            }
            None => {
                println!("{label:<44} {shown}  FAILED  {error}");
                false
            }
        },
    }
}

/// When `error` says the rate limit does not allow the call now, how long
/// until it would (`None` for a wait the server did not state).
fn quota_wait(error: &Error) -> Option<Option<Duration>> {
    match error {
        Error::Pacing(pacing) if pacing.store_failure().is_none() => Some(Some(pacing.wait())),
        error if error.disposition().is_rate_limited() => Some(error.retry_after()),
        _ => None,
    }
}

fn when(wait: Option<Duration>) -> String {
    let Some(wait) = wait else {
        return "later (the server refused it under its rate limit)".to_owned();
    };
    let secs = wait.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let unix = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        + wait;
    let of_day = unix.as_secs() % 86_400;
    format!(
        "in {h}h {m:02}m {s:02}s (at {:02}:{:02}:{:02} UTC)",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

fn publish_ids(answer: &PublishResponse) -> String {
    let ids: Vec<String> = answer
        .message_uids
        .iter()
        .map(|sent| format!("{}={}", sent.user_id, sent.message_uid))
        .collect();
    ids.join(" ")
}

/// The client, and the emulator when this run embeds one.
async fn connect() -> Result<(Client, Option<Emulator>), Error> {
    let configured = std::env::var("RONGCLOUD_APP_KEY").is_ok_and(|key| !key.trim().is_empty());
    if configured {
        println!("using the server named by RONGCLOUD_API_URL (default: the Beijing region)");
        return Ok((Client::from_env()?, None));
    }
    // A clock the quickstart can move: `/push.json` allows 2 calls an hour
    // and 3 a day, and this run makes 3. The fixed start (10:00 Beijing
    // time) keeps the three calls inside one calendar day.
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_232_800);
    let emulator = Emulator::builder()
        .clock(Clock::manual_at(start))
        .start()
        .await
        .map_err(|e| api_core::ConfigError::new(format!("cannot start the emulator: {e}")))?;
    println!(
        "no RONGCLOUD_APP_KEY: using the local emulator at {}",
        emulator.base_url()
    );
    // The client paces every call under the documented limits, on real
    // time; here the emulator's own clock stands for time, so the emulator
    // alone enforces the limits.
    let client = Client::builder(Credentials::new(emulator.app_key(), emulator.app_secret()))
        .base_urls(emulator.base_urls())
        .pacing(Pacing::disabled())
        .build()?;
    Ok((client, Some(emulator)))
}

#[tokio::main]
async fn main() -> ExitCode {
    let (client, emulator) = match connect().await {
        Ok(connected) => connected,
        Err(error) => {
            eprintln!("quickstart: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut ok = true;

    // Page 001.
    let private = examples::private_publish();
    ok &= call(
        &client,
        "POST /message/private/publish.json",
        &private,
        publish_ids,
    )
    .await;
    // Page 002.
    let system = examples::system_publish();
    ok &= call(
        &client,
        "POST /message/system/publish.json",
        &system,
        publish_ids,
    )
    .await;
    // Page 004.
    let online = examples::online_broadcast();
    ok &= call(
        &client,
        "POST /message/online/broadcast.json",
        &online,
        |a| a.message_uid.clone(),
    )
    .await;
    // Page 000.
    let package = examples::package_name_notification();
    ok &= call(
        &client,
        "POST /push.json (package-name notification)",
        &package,
        |a| a.id.clone(),
    )
    .await;
    // Page 003, sections 1 and 2.
    ok &= call(
        &client,
        "POST /user/tag/set.json",
        &examples::tag_set(),
        |_| "-".into(),
    )
    .await;
    ok &= call(
        &client,
        "POST /user/tag/batch/set.json",
        &examples::tag_batch_set(),
        |_| "-".into(),
    )
    .await;
    // Page 003, section 3, first example.
    let broadcast = examples::broadcast_message();
    ok &= call(
        &client,
        "POST /push.json (broadcast message)",
        &broadcast,
        |a| a.id.clone(),
    )
    .await;

    if let Some(emulator) = &emulator {
        // The third /push.json call of the hour would be refused (2 an
        // hour); the embedded emulator's clock moves on instead of waiting.
        emulator.clock().advance(Duration::from_secs(3600));
        println!("(emulator clock moved on one hour: /push.json allows 2 calls an hour)");
    }

    // Page 003, section 4, first example.
    let push = examples::push_notification();
    ok &= call(
        &client,
        "POST /push.json (push without message)",
        &push,
        |a| a.id.clone(),
    )
    .await;

    if let Some(emulator) = &emulator {
        println!(
            "emulator recorded {} deliveries",
            emulator.deliveries().len()
        );
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        eprintln!("quickstart: at least one call failed");
        ExitCode::FAILURE
    }
}
