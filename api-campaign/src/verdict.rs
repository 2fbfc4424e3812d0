//! What a chunk's call result means for the journal: delivered, not sent
//! (for good, or worth another attempt in this run), or unknown.
//!
//! The rule comes from [`api_core::Error::delivery`]: only a call that
//! provably was not processed (`NotSent`, `Rejected`) is ever attempted
//! again; anything that may have been processed is `unknown`.

use std::collections::HashMap;
use std::time::Duration;

use api_core::{Delivery, Error, PerRecipientIds, Processed};

use crate::journal::chunks::Finish;

/// How a call ended, for the runner.
#[derive(Debug)]
pub(crate) enum Verdict {
    /// Settled: write it.
    Final(Finish),
    /// Not processed, for a reason that may pass: try again after `wait`
    /// (or the runner's backoff). `attempt` is false for a pacing refusal,
    /// which is the normal way of waiting for a turn, not a failure.
    Transient {
        reason: String,
        code: Option<i64>,
        wait: Option<Duration>,
        attempt: bool,
    },
}

/// Classifies the result of a call to `recipients`.
pub(crate) fn classify<R: PerRecipientIds>(
    recipients: &[String],
    result: Result<R, Error>,
) -> Verdict {
    let error = match result {
        Ok(answer) => {
            return Verdict::Final(Finish::Delivered {
                message_uids: aligned_ids(recipients, &answer),
                reason: None,
            });
        }
        Err(error) => error,
    };
    if api_core::classify(&error).processed == Processed::Yes {
        // The answer's code said success; only the message ids are lost.
        return Verdict::Final(Finish::Delivered {
            message_uids: "\n".repeat(recipients.len().saturating_sub(1)),
            reason: Some(format!(
                "delivered (the server answered success), but its message ids could not be read: {error}"
            )),
        });
    }
    let code = match &error {
        Error::Api(api) => Some(api.code().code()),
        _ => None,
    };
    let reason = reason(&error);
    match error.delivery() {
        Delivery::Unknown => Verdict::Final(Finish::Unknown { reason, code }),
        // Not processed. Waiting for a turn under the rate limit, a 1008, a
        // connection that could not be made: another attempt may succeed.
        _ => match &error {
            // The shared quota store could not be asked: like a refused
            // connection, worth a later attempt.
            Error::Pacing(pacing) if pacing.store_failure().is_some() => Verdict::Transient {
                reason,
                code,
                wait: None,
                attempt: true,
            },
            Error::Pacing(pacing) => Verdict::Transient {
                reason,
                code,
                wait: Some(pacing.wait()),
                attempt: false,
            },
            _ if error.is_retryable() => Verdict::Transient {
                reason,
                code,
                wait: None,
                attempt: true,
            },
            _ => Verdict::Final(Finish::NotSent {
                reason,
                code,
                retryable: false,
            }),
        },
    }
}

/// The message ids of `answer` in the order of `recipients`, one per line,
/// an empty line for a recipient the answer does not name.
fn aligned_ids<R: PerRecipientIds>(recipients: &[String], answer: &R) -> String {
    let by_recipient: HashMap<&str, &str> = answer.per_recipient_ids().collect();
    let mut joined = String::with_capacity(recipients.len() * 24);
    for (i, recipient) in recipients.iter().enumerate() {
        if i > 0 {
            joined.push('\n');
        }
        if let Some(id) = by_recipient.get(recipient.as_str()) {
            // A line break inside an id would shift every later one.
            joined.extend(
                id.chars()
                    .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
            );
        }
    }
    joined
}

/// The reason kept in the journal: what happened, in words an operator
/// reads in the report, with the request id where the error has one.
fn reason(error: &Error) -> String {
    match error {
        Error::Validation(e) => format!("not sent: invalid request: {e}"),
        Error::Api(e) if error.delivery() == Delivery::Unknown => {
            format!("outcome unknown: {e}")
        }
        Error::Api(e) => format!("rejected by the server: {e}"),
        Error::Decode(e) => format!("outcome unknown: {e}"),
        // These say themselves whether the request was sent.
        Error::Transport(e) => e.to_string(),
        Error::Pacing(e) => e.to_string(),
        other if other.delivery() == Delivery::Unknown => format!("outcome unknown: {other}"),
        other => format!("not sent: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_core::{ApiError, ErrorCode, TransportError, TransportErrorKind};
    use http::StatusCode;

    struct Answer(Vec<(String, String)>);

    impl PerRecipientIds for Answer {
        fn per_recipient_ids(&self) -> impl Iterator<Item = (&str, &str)> {
            self.0.iter().map(|(a, b)| (a.as_str(), b.as_str()))
        }
    }

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn api(code: ErrorCode, status: StatusCode) -> Error {
        Error::Api(ApiError::new(code, "msg", status, Some("rid-1".into())))
    }

    #[test]
    fn delivered_ids_follow_the_recipient_order() {
        let answer = Answer(vec![
            ("b".into(), "UID-B".into()),
            ("a".into(), "UID-A".into()),
        ]);
        let verdict = classify(&ids(&["a", "b", "c"]), Ok(answer));
        let Verdict::Final(Finish::Delivered { message_uids, .. }) = verdict else {
            panic!("{verdict:?}")
        };
        assert_eq!(message_uids, "UID-A\nUID-B\n");
    }

    #[test]
    fn a_rejection_is_not_sent_for_good_and_keeps_its_code() {
        let verdict = classify::<Answer>(
            &ids(&["a"]),
            Err(api(ErrorCode::InvalidParameter, StatusCode::BAD_REQUEST)),
        );
        let Verdict::Final(Finish::NotSent {
            reason,
            code,
            retryable,
        }) = verdict
        else {
            panic!("{verdict:?}")
        };
        assert_eq!(code, Some(1002));
        assert!(!retryable);
        assert!(reason.starts_with("rejected by the server: "), "{reason}");
        assert!(reason.contains("rid-1"), "{reason}");
    }

    #[test]
    fn rate_limited_and_refused_connections_are_tried_again() {
        let verdict = classify::<Answer>(
            &ids(&["a"]),
            Err(api(ErrorCode::RateLimited, StatusCode::TOO_MANY_REQUESTS)),
        );
        assert!(
            matches!(
                verdict,
                Verdict::Transient {
                    code: Some(1008),
                    attempt: true,
                    wait: None,
                    ..
                }
            ),
            "{verdict:?}"
        );
        let refused = Error::Transport(TransportError::new(
            TransportErrorKind::Connect,
            Delivery::NotSent,
            "127.0.0.1",
            "connection refused",
            None,
        ));
        let verdict = classify::<Answer>(&ids(&["a"]), Err(refused));
        assert!(matches!(verdict, Verdict::Transient { attempt: true, .. }));
    }

    #[test]
    fn a_success_whose_ids_cannot_be_read_is_delivered_without_ids() {
        let unreadable = Error::Decode(
            api_core::DecodeError::new(
                StatusCode::OK,
                b"{\"code\":200,\"messageUIDs\":7}",
                "not a list",
                None,
            )
            .with_success_code(),
        );
        let verdict = classify::<Answer>(&ids(&["a", "b", "c"]), Err(unreadable));
        let Verdict::Final(Finish::Delivered {
            message_uids,
            reason,
        }) = verdict
        else {
            panic!("{verdict:?}")
        };
        assert_eq!(message_uids, "\n\n");
        assert!(reason.unwrap().contains("could not be read"));
    }

    #[test]
    fn anything_that_may_have_been_processed_is_unknown() {
        let timeout = Error::Transport(TransportError::new(
            TransportErrorKind::Timeout,
            Delivery::Unknown,
            "127.0.0.1",
            "read timed out",
            None,
        ));
        for error in [
            timeout,
            api(ErrorCode::InternalError, StatusCode::INTERNAL_SERVER_ERROR),
        ] {
            let verdict = classify::<Answer>(&ids(&["a"]), Err(error));
            let Verdict::Final(Finish::Unknown { reason, .. }) = verdict else {
                panic!("{verdict:?}")
            };
            assert!(reason.contains("outcome unknown"), "{reason}");
        }
    }
}
