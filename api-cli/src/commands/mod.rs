//! One module per command group.

pub mod callback;
pub mod campaign;
pub mod group;
pub mod send;
pub mod user;

use api_core::{Endpoint, RequestId};

use crate::cli::Global;
use crate::connect::connect;
use crate::exit::{Failure, call_failure};

/// Checks user ids given on the command line with the provider's rule (as a
/// campaign checks its file), naming the flag.
pub fn check_ids<'a>(flag: &str, ids: impl IntoIterator<Item = &'a String>) -> Result<(), Failure> {
    let mut problems = Vec::new();
    for (n, id) in ids.into_iter().enumerate() {
        if let Err(problem) = api_campaign::check_id(id) {
            problems.push(format!("{flag} id {} ({id:?}): {problem}", n + 1));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::usage(problems.join("\n")))
    }
}

/// Prints a JSON value on standard output, one line.
pub fn print_json(value: &serde_json::Value) {
    println!("{value}");
}

/// Validates `call` (a violation is a usage error: nothing is sent), then
/// connects and sends it; answers its response and `X-Request-ID`, also
/// shown on standard error without `--json`.
pub async fn call<E: Endpoint>(
    global: &Global,
    call: &E,
) -> Result<(E::Response, String), Failure> {
    // Checked before connecting: a bad request never starts anything.
    call.validate().map_err(|e| call_failure(&e.into()))?;
    let connection = connect(global).await?;
    let request_id = RequestId::new();
    let shown = request_id.to_string();
    let answer = connection
        .client
        .send_with_id(call, request_id)
        .await
        .map_err(|e| call_failure(&e))?;
    if !global.json {
        eprintln!("{}: accepted (X-Request-ID {shown})", E::PATH);
    }
    Ok((answer, shown))
}
