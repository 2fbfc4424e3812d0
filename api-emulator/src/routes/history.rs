//! `/message/history.json` and `/message/history/delete.json`
//! (D:message/get-message-history-log): the hourly message log. Needs the
//! message-history service (1009 while it is off).
//!
//! `date` is exactly `yyyyMMddHH` in Beijing time (the CN data centre's zone).
//! The answer's `url` points at the emulator's own
//! `/_emulator/history/{appKey}/{date}.gz`, which serves that hour's recorded
//! messages as a gzip file (see `downloads`), or is empty when the hour has
//! none. The provider makes the file about an hour after the hour ends and
//! keeps it 3 days; the emulator serves it at once (a test does not wait) and
//! also answers an empty `url` for hours more than 3 days old.

use serde_json::json;

use super::params;
use super::{Call, Reply};
use crate::answer;
use crate::downloads;
use crate::form::Form;
use crate::rejection::{Checked, Rejection};
use crate::state::KEPT_MS;
use crate::sync::lock;
use crate::time::{self, HOUR_MS};

fn hour(form: &Form<'_>) -> Checked<(String, u64)> {
    let date = params::required(form, "date")?;
    let start = time::parse_hour_label(date).ok_or_else(|| {
        Rejection::invalid(format!(
            "date: must be exactly 10 digits yyyyMMddHH naming an hour, got {date:?}"
        ))
    })?;
    Ok((date.to_owned(), start))
}

/// `{"code":200,"url":..,"date":..}`.
pub(super) fn get(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let (date, start) = hour(&form)?;
    call.admit(1)?;
    let expired = start.saturating_add(HOUR_MS + KEPT_MS) <= call.now;
    let has_messages = !expired && downloads::history_count(call.shared, call.app, start) > 0;
    let url = if has_messages {
        format!(
            "http://{}{}",
            call.shared.addrs[call.host],
            downloads::history_path(&call.app.key, &date)
        )
    } else {
        String::new()
    };
    Ok(Reply::new(answer::json(&json!({
        "code": 200,
        "url": url,
        "date": date,
    }))))
}

/// Deletes what the hour's file holds so far.
pub(super) fn delete(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let (_, start) = hour(&form)?;
    call.admit(1)?;
    let next = call.shared.records.peek_delivery_seq();
    lock(&call.app.state.history).delete(start, next, call.now);
    Ok(Reply::new(answer::ok()))
}
