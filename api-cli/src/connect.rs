//! The client a command sends with: the account from the flags and
//! variables (read as `api_core::Client::builder_from_env` reads them), or
//! an emulator started in this process with `--emulator`.

use api_core::Client;
use api_emulator::Emulator;

use crate::cli::Global;
use crate::exit::Failure;
use crate::limits::{self, Limit};

/// A client, and the emulator it talks to when the command embeds one
/// (kept alive as long as the client is used).
pub struct Connection {
    /// The client.
    pub client: Client,
    /// The embedded emulator, with `--emulator`.
    pub emulator: Option<Emulator>,
}

/// Checks the `--limit`s and builds the client; nothing is sent.
pub async fn connect(global: &Global) -> Result<Connection, Failure> {
    let limits = limits::parse_all(&global.limits)?;
    connect_with(global, &limits).await
}

/// Builds the client with limits already parsed.
pub async fn connect_with(global: &Global, limits: &[Limit]) -> Result<Connection, Failure> {
    let emulator = if global.emulator {
        let emulator = Emulator::start()
            .await
            .map_err(|e| Failure::failed(format!("cannot start the emulator: {e}")))?;
        eprintln!(
            "rongcloud: using an emulator at {} (started for this command; its state ends with it)",
            emulator.base_url()
        );
        Some(emulator)
    } else {
        None
    };
    let value = |name: &str| -> Option<String> {
        if let Some(emulator) = &emulator {
            match name {
                "RONGCLOUD_APP_KEY" => return Some(emulator.app_key().to_owned()),
                "RONGCLOUD_APP_SECRET" => return Some(emulator.app_secret().to_owned()),
                "RONGCLOUD_API_URL" => return Some(emulator.base_urls().join(",")),
                _ => {}
            }
        }
        let flag = match name {
            "RONGCLOUD_APP_KEY" => &global.app_key,
            "RONGCLOUD_APP_SECRET" => &global.app_secret,
            "RONGCLOUD_API_URL" => &global.api_url,
            "RONGCLOUD_TIMEOUT_MS" => &global.timeout_ms,
            "RONGCLOUD_QUOTA_STORE" => &global.quota_store,
            "RONGCLOUD_FLEET_SIZE" => &global.fleet_size,
            _ => return None,
        };
        flag.clone()
    };
    let client = Client::builder_from_lookup(value)
        .and_then(|builder| builder.pacing(limits::pacing(limits)).build())
        .map_err(|error| {
            let text = error.to_string();
            let hint =
                if text.contains("RONGCLOUD_APP_KEY") || text.contains("RONGCLOUD_APP_SECRET") {
                    "\n(set RONGCLOUD_APP_KEY and RONGCLOUD_APP_SECRET, or pass --app-key and \
                 --app-secret; --emulator runs against a local emulator instead)"
                } else {
                    ""
                };
            Failure::usage(format!("{text}{hint}"))
        })?;
    Ok(Connection { client, emulator })
}
