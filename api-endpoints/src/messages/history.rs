//! `POST /message/history.json` and `POST /message/history/delete.json`
//! (D:message/get-message-history-log).

use api_core::endpoint;
use serde::Deserialize;

use super::HistoryHour;

/// Asks for the download URL of one hour's message log: every message of
/// the app in that hour (private, group, chatroom, ultra group, system), as
/// a compressed file.
///
/// Needs the message-history service (code 1009 otherwise). The provider
/// makes an hour's file about an hour after the hour ends and keeps it 3
/// days; before and after, the answer's `url` is empty.
///
/// - Limits: `date` is exactly `yyyyMMddHH` naming a real hour, which
///   [`HistoryHour`] guarantees.
/// - Rate limit: no page states one; this declares the provider's default
///   of 100 calls a second, which is not a documented figure.
/// - Idempotent: it only reads.
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/message/get-message-history-log>
/// (the `date` format and zones, the service, the delay and the 3 days, the
/// answer's `url` and `date`); the Python SDK's `History.query` (`date` of
/// exactly 10 characters) (API-BREADTH.md §2 #20).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use std::time::SystemTime;
/// use api_endpoints::{History, HistoryHour};
///
/// let hour = HistoryHour::beijing(SystemTime::now()).previous().previous();
/// let answer = History::new(hour).send(client).await?;
/// match answer.download_url() {
///     Some(url) => println!("the log of {} is at {url}", answer.date),
///     None => println!("no log for {}", answer.date),
/// }
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/message/history.json",
    encoding = "form",
    response = HistoryResponse,
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct History {
    /// The hour (`date`, `yyyyMMddHH`).
    pub date: HistoryHour,
}

impl History {
    /// The log of `date`.
    pub fn new(date: HistoryHour) -> Self {
        Self { date }
    }
}

/// The answer of [`History`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HistoryResponse {
    /// Where to download the hour's compressed log (`url`); empty when there
    /// is none (no message that hour, not ready yet, or older than 3 days).
    pub url: String,
    /// The hour the answer is about (`date`).
    pub date: HistoryHour,
}

impl HistoryResponse {
    /// The download URL, or `None` when the hour has no file.
    pub fn download_url(&self) -> Option<&str> {
        Some(self.url.as_str()).filter(|url| !url.is_empty())
    }
}

/// Deletes one hour's message log from the provider's server (it is
/// otherwise kept 3 days).
///
/// Needs the message-history service (code 1009 otherwise).
///
/// - Limits: `date` is exactly `yyyyMMddHH` naming a real hour.
/// - Rate limit: no page states one; this declares the provider's default
///   of 100 calls a second, which is not a documented figure.
/// - Idempotent: deleting the hour's file again leaves it deleted.
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/message/get-message-history-log>
/// (the delete call and its `date`); every official SDK calls it
/// (API-BREADTH.md §1c #126, §2 #20).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{HistoryDelete, HistoryHour};
///
/// let hour: HistoryHour = "2026120314".parse().expect("a real hour");
/// HistoryDelete::new(hour).send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/message/history/delete.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryDelete {
    /// The hour (`date`, `yyyyMMddHH`).
    pub date: HistoryHour,
}

impl HistoryDelete {
    /// Deletes the log of `date`.
    pub fn new(date: HistoryHour) -> Self {
        Self { date }
    }
}

#[cfg(test)]
mod tests {
    use api_core::Endpoint;

    use super::*;

    #[test]
    fn the_date_is_ten_digits_on_the_wire() {
        let hour = HistoryHour::new(2026, 3, 9, 7).unwrap();
        assert_eq!(
            History::new(hour).encode_body().unwrap(),
            b"date=2026030907"
        );
        assert_eq!(
            HistoryDelete::new(hour).encode_body().unwrap(),
            b"date=2026030907"
        );
        const { assert!(History::IDEMPOTENT && HistoryDelete::IDEMPOTENT) };
    }

    #[test]
    fn an_empty_url_is_no_file() {
        let answer: HistoryResponse = api_core::decode_response(
            http::StatusCode::OK,
            br#"{"code":200,"url":"","date":"2026030907"}"#,
            None,
        )
        .unwrap();
        assert_eq!(answer.download_url(), None);
        assert_eq!(answer.date.to_string(), "2026030907");
        let answer: HistoryResponse = api_core::decode_response(
            http::StatusCode::OK,
            br#"{"code":200,"url":"http://x/y.gz","date":"2026030907"}"#,
            None,
        )
        .unwrap();
        assert_eq!(answer.download_url(), Some("http://x/y.gz"));
    }
}
