//! `api-emulator`: run the Server API emulator as a process.
//!
//! ```sh
//! cargo run -p api-emulator -- --listen 127.0.0.1:8080 --app-key KEY --app-secret SECRET
//! ```
//!
//! Every flag can also come from the environment (see `--help`). Each request is
//! logged on one line (method, path, app key, status, code, request id, latency;
//! never the secret); `RUST_LOG` adjusts the filter. Records are readable at
//! `GET /_emulator/deliveries`, `/_emulator/inbox/{userId}`, `/_emulator/requests`
//! and `/_emulator/stats` on the same port.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::time::Duration;

use api_emulator::{Clock, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, Emulator, Service};
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// A local stand-in for the RongCloud IM Server API.
#[derive(Debug, Parser)]
#[command(name = "api-emulator", version, about)]
struct Args {
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

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
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
    let emulator = Emulator::builder()
        .app(&args.app_key, &args.app_secret)
        .service(Service::Push, !args.no_push)
        .service(Service::Broadcast, !args.no_broadcast)
        .service(Service::PackageNotification, !args.no_package_notification)
        .service(Service::OnlineBroadcast, !args.no_online_broadcast)
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
        "emulating the Server API at {} for App Key {}; rate limits {}; services off: {}",
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
        "records: GET {}/_emulator/deliveries, /_emulator/inbox/{{userId}}, /_emulator/requests, /_emulator/stats",
        emulator.base_url()
    );

    tokio::signal::ctrl_c().await?;
    tracing::info!("shutting down");
    emulator.shutdown().await;
    Ok(())
}
