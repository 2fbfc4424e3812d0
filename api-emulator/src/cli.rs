//! The emulator as a program: its flags and its `main`.
//!
//! ```sh
//! cargo run -p api-emulator -- --listen 127.0.0.1:8080 --app-key KEY --app-secret SECRET
//! ```
//!
//! Every flag can also come from the environment, and `--help` lists every call
//! served. Each request is logged on one line (method, path, app key, status,
//! code, request id, latency; never the secret); `RUST_LOG` adjusts the filter.
//! Records and state are readable under `GET /_emulator/...` on the same port.
//! With `--listen 127.0.0.1:0` the system picks a free port; the first log
//! line names the address served.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use crate::{Clock, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, Emulator, Service};
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// What `--help` says after the flags: every call served, and the routes of the
/// emulator itself. A test below checks it names every served path.
const CALLS: &str = "\
Calls served (POST, signed with App-Key / Nonce / Timestamp / Signature):
  users       /user/getToken.json /user/refresh.json /user/info.json
              /user/token/expire.json /user/block.json /user/unblock.json
              /user/block/query.json /user/checkOnline.json
              /user/tag/set.json /user/tag/batch/set.json
  messages    /message/private/publish.json /message/system/publish.json
              /message/group/publish.json /message/chatroom/publish.json
              /message/ultragroup/publish.json /message/online/broadcast.json
              /push.json /message/recall.json
              /message/history.json /message/history/delete.json
  groups      /group/create.json /group/join.json /group/quit.json
              /group/dismiss.json /group/sync.json /group/refresh.json
              /group/user/query.json /user/group/query.json
  chatrooms   /chatroom/create_new.json /chatroom/create.json
              /chatroom/destroy.json /chatroom/query.json
  sensitive   /sensitiveword/add.json /sensitiveword/list.json
              /sensitiveword/delete.json /sensitiveword/batch/delete.json
  ultragroups /ultragroup/create.json /ultragroup/join.json
              /ultragroup/quit.json /ultragroup/dis.json

The emulator's own routes (JSON):
  GET  /_emulator/deliveries, /_emulator/inbox/{userId}, /_emulator/delivery-counts,
       /_emulator/requests, /_emulator/stats, /_emulator/callbacks, /_emulator/state,
       /_emulator/users, /_emulator/bans, /_emulator/groups, /_emulator/chatrooms,
       /_emulator/ultragroups, /_emulator/sensitive-words, /_emulator/recalls
  POST /_emulator/online-status   (a JSON array of {\"userid\",\"status\":\"0\"|\"1\"|\"2\"} events)
  GET  /_emulator/history/{appKey}/{yyyyMMddHH}.gz   (the files /message/history.json names)";

/// A local stand-in for the RongCloud IM Server API.
// The flags of the `api-emulator` program; every one can also come from the
// environment (`--help` names the variables). No `Debug`: it holds the secret.
#[derive(Parser)]
#[command(name = "api-emulator", version, about, after_help = CALLS)]
pub struct Args {
    /// Address to listen on; repeat (or separate with commas) for backup hosts,
    /// the first one being the primary.
    #[arg(
        long,
        env = "EMULATOR_LISTEN",
        value_delimiter = ',',
        default_value = "127.0.0.1:8080"
    )]
    listen: Vec<SocketAddr>,

    /// App Key to accept.
    #[arg(long, env = "RONGCLOUD_APP_KEY", default_value = DEFAULT_APP_KEY)]
    app_key: String,

    /// App Secret to check signatures with (never logged).
    #[arg(
        long,
        env = "RONGCLOUD_APP_SECRET",
        default_value = DEFAULT_APP_SECRET,
        hide_env_values = true,
        hide_default_value = true
    )]
    app_secret: String,

    /// Switch the push service off (/push.json without message answers 1009).
    #[arg(long, env = "EMULATOR_NO_PUSH")]
    no_push: bool,

    /// Switch the broadcast service off (/push.json with message answers 1009).
    #[arg(long, env = "EMULATOR_NO_BROADCAST")]
    no_broadcast: bool,

    /// Switch package-name notification off (/push.json with audience.packageName
    /// answers 1009).
    #[arg(long, env = "EMULATOR_NO_PACKAGE_NOTIFICATION")]
    no_package_notification: bool,

    /// Switch online broadcast off (/message/online/broadcast.json answers 1009).
    #[arg(long, env = "EMULATOR_NO_ONLINE_BROADCAST")]
    no_online_broadcast: bool,

    /// Switch the message history log off (/message/history.json answers 1009).
    #[arg(long, env = "EMULATOR_NO_MESSAGE_HISTORY")]
    no_message_history: bool,

    /// Switch ultra groups off (/ultragroup/*.json and
    /// /message/ultragroup/publish.json answer 1009).
    #[arg(long, env = "EMULATOR_NO_ULTRAGROUP")]
    no_ultragroup: bool,

    /// Post a signed message-routing callback (form body) to this http:// URL
    /// for every message accepted.
    #[arg(long, env = "EMULATOR_CALLBACK_URL")]
    callback_url: Option<String>,

    /// Post user online-status events (JSON array) to this http:// URL when they
    /// are posted to /_emulator/online-status.
    #[arg(long, env = "EMULATOR_USER_STATUS_CALLBACK_URL")]
    user_status_callback_url: Option<String>,

    /// Post chatroom status events (JSON array) to this http:// URL when rooms
    /// are created or destroyed.
    #[arg(long, env = "EMULATOR_CHATROOM_STATUS_CALLBACK_URL")]
    chatroom_status_callback_url: Option<String>,

    /// Callbacks waiting to be posted before new ones are dropped.
    #[arg(long, env = "EMULATOR_CALLBACK_QUEUE", default_value_t = 10_000)]
    callback_queue: usize,

    /// Do not enforce the documented rate limits.
    #[arg(long, env = "EMULATOR_NO_RATE_LIMITS")]
    no_rate_limits: bool,

    /// Run the rate-limit clock this many times faster than real time.
    #[arg(long, env = "EMULATOR_CLOCK_SCALE", default_value_t = 1.0)]
    clock_scale: f64,

    /// Keep at most this many deliveries and request records.
    #[arg(long, env = "EMULATOR_MAX_RECORDS", default_value_t = 100_000)]
    max_records: usize,

    /// Close kept-alive connections idle for this many seconds (0: never).
    #[arg(long, env = "EMULATOR_IDLE_TIMEOUT_SECS", default_value_t = 60)]
    idle_timeout_secs: u64,
}

/// Runs the emulator as a program: parses the command line, logs to stderr
/// and serves until Ctrl-C (or SIGTERM). `api-emulator`'s `main` is this
/// function; a test crate that needs the emulator as a separate process (its
/// own binary target) calls it too, so both run the same code.
pub fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("api-emulator: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("api-emulator: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Serves the calls `args` describe until Ctrl-C or SIGTERM, logging to stderr.
pub async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();

    if !(args.clock_scale.is_finite() && args.clock_scale > 0.0) {
        return Err(format!(
            "--clock-scale must be a positive number, got {}",
            args.clock_scale
        )
        .into());
    }
    let clock = if args.clock_scale == 1.0 {
        Clock::system()
    } else {
        Clock::scaled(args.clock_scale)
    };
    let mut builder = Emulator::builder()
        .app(&args.app_key, &args.app_secret)
        .service(Service::Push, !args.no_push)
        .service(Service::Broadcast, !args.no_broadcast)
        .service(Service::PackageNotification, !args.no_package_notification)
        .service(Service::OnlineBroadcast, !args.no_online_broadcast)
        .service(Service::MessageHistory, !args.no_message_history)
        .service(Service::UltraGroup, !args.no_ultragroup)
        .callback_queue(args.callback_queue);
    if let Some(url) = &args.callback_url {
        builder = builder.callback_url(url);
    }
    if let Some(url) = &args.user_status_callback_url {
        builder = builder.user_status_callback_url(url);
    }
    if let Some(url) = &args.chatroom_status_callback_url {
        builder = builder.chatroom_status_callback_url(url);
    }
    let emulator = builder
        .rate_limits(!args.no_rate_limits)
        .clock(clock)
        .record_limit(Some(args.max_records))
        .idle_timeout(
            (args.idle_timeout_secs > 0).then(|| Duration::from_secs(args.idle_timeout_secs)),
        )
        .listen(args.listen)
        .start()
        .await?;

    let off: Vec<&str> = Service::ALL
        .into_iter()
        .filter(|s| emulator.is_service_enabled(emulator.app_key(), *s) == Some(false))
        .map(Service::name)
        .collect();
    tracing::info!(
        "emulating {} Server API calls at {} for App Key {}; rate limits {}; services off: {}",
        crate::served_paths().count(),
        emulator.base_urls().join(", "),
        emulator.app_key(),
        if args.no_rate_limits { "off" } else { "on" },
        if off.is_empty() {
            "none".to_owned()
        } else {
            off.join(", ")
        },
    );
    tracing::info!(
        "records and state: GET {}/_emulator/deliveries, /_emulator/state, /_emulator/stats (see --help)",
        emulator.base_url()
    );
    for (name, url) in [
        ("message routing", &args.callback_url),
        ("user status", &args.user_status_callback_url),
        ("chatroom status", &args.chatroom_status_callback_url),
    ] {
        if let Some(url) = url {
            tracing::info!("{name} callbacks go to {url}");
        }
    }

    shutdown_signal().await?;
    tracing::info!("shutting down");
    emulator.shutdown().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM where there is one (what `kill` and process
/// supervisors send), so a test that stops the process gets a clean shutdown.
async fn shutdown_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn help_lists_every_call_served() {
        let help = Args::command().render_long_help().to_string();
        for path in crate::served_paths() {
            let listed = help.split_whitespace().any(|word| word == path);
            assert!(listed, "--help does not list {path}");
        }
    }

    #[test]
    fn flags_parse() {
        let args = Args::try_parse_from([
            "api-emulator",
            "--callback-url",
            "http://127.0.0.1:3000/cb",
            "--no-ultragroup",
            "--callback-queue",
            "5",
        ])
        .unwrap();
        assert_eq!(
            args.callback_url.as_deref(),
            Some("http://127.0.0.1:3000/cb")
        );
        assert!(args.no_ultragroup && !args.no_message_history);
        assert_eq!(args.callback_queue, 5);
    }
}
