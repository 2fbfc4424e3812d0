//! Bulk sends: one message to a recipient list of any size.
//!
//! The list is split into calls of at most the endpoint's
//! [`MAX_RECIPIENTS`](crate::Endpoint::MAX_RECIPIENTS), each paced, retried
//! and failed over like any call, a few at a time; the report says, for
//! every recipient, whether the message was delivered (with its id), not
//! sent, or may have been.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::Instrument;

use crate::client::Client;
use crate::delivery::machine::Deadline;
use crate::endpoint::Endpoint;
use crate::error::{Delivery, Error};
use crate::request::RequestId;

/// An endpoint whose recipient list can be replaced: what a bulk send
/// needs to split one message into calls.
///
/// `with_recipients` returns a copy of `self` whose recipients are exactly
/// `recipients`, everything else unchanged.
pub trait Recipients: Endpoint + Clone {
    /// A copy of this call addressed to `recipients`.
    fn with_recipients(&self, recipients: &[String]) -> Self;
}

/// An answer that gives each recipient's message id (the `messageUIDs` of
/// a publish).
pub trait PerRecipientIds {
    /// `(recipient, message id)` pairs, one per recipient the answer names.
    fn per_recipient_ids(&self) -> impl Iterator<Item = (&str, &str)>;
}

/// The default number of calls a bulk send has in flight at once.
pub const DEFAULT_BULK_CONCURRENCY: usize = 4;

/// How far a bulk send has got, counted in recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BulkProgress {
    /// Distinct recipients in the send.
    pub total: usize,
    /// Recipients whose call succeeded.
    pub delivered: usize,
    /// Recipients whose call was not sent or was rejected.
    pub not_sent: usize,
    /// Recipients whose call may or may not have been processed.
    pub unknown: usize,
}

impl BulkProgress {
    /// Recipients whose call has finished, whatever its outcome.
    pub fn done(&self) -> usize {
        self.delivered + self.not_sent + self.unknown
    }

    /// Whether every recipient's call has finished.
    pub fn is_finished(&self) -> bool {
        self.done() == self.total
    }
}

/// A recipient whose call succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    /// The recipient.
    pub recipient: String,
    /// The id of the message this recipient got. `None` when the server
    /// accepted the call but named no id for this recipient (it may have
    /// filtered them out, for example with `verifyBlacklist`).
    pub message_id: Option<String>,
}

/// The recipients of one failed call, and its error.
#[derive(Debug, Clone)]
pub struct FailedBatch {
    /// The recipients of the call.
    pub recipients: Vec<String>,
    /// Why it failed; [`Error::delivery`] tells what may have happened.
    pub error: Arc<Error>,
}

/// The outcome of a bulk send: every distinct recipient is in exactly one
/// of `delivered`, `not_sent` and `unknown`.
#[derive(Debug, Clone, Default)]
pub struct BulkReport {
    /// Recipients whose call succeeded, with their message ids.
    pub delivered: Vec<Delivered>,
    /// Calls that were not processed (not sent, refused, rejected, invalid,
    /// or past the deadline before being sent): safe to send again.
    pub not_sent: Vec<FailedBatch>,
    /// Calls that may have been processed (a timeout, a lost connection, a
    /// 5xx answer): sending them again may deliver the message twice.
    pub unknown: Vec<FailedBatch>,
}

impl BulkReport {
    /// Every recipient whose call was not processed.
    pub fn not_sent_recipients(&self) -> impl Iterator<Item = &str> {
        self.not_sent
            .iter()
            .flat_map(|batch| batch.recipients.iter().map(String::as_str))
    }

    /// Every recipient whose call may or may not have been processed.
    pub fn unknown_recipients(&self) -> impl Iterator<Item = &str> {
        self.unknown
            .iter()
            .flat_map(|batch| batch.recipients.iter().map(String::as_str))
    }

    /// The number of recipients in the report.
    pub fn total(&self) -> usize {
        self.delivered.len()
            + self.not_sent_recipients().count()
            + self.unknown_recipients().count()
    }

    /// Whether every recipient's call succeeded.
    pub fn is_complete(&self) -> bool {
        self.not_sent.is_empty() && self.unknown.is_empty()
    }
}

/// A bulk send being configured; [`send`](Self::send) runs it.
///
/// Made by [`Client::bulk`]. Duplicate recipients are sent to once.
///
/// - Each call has at most the endpoint's `MAX_RECIPIENTS` (or
///   [`chunk_size`](Self::chunk_size), if smaller).
/// - Calls are paced under the endpoint's rate limits, counted in
///   recipients where the limit counts recipients, so a large list takes
///   as long as the limit requires; at most
///   [`concurrency`](Self::concurrency) calls are in flight.
/// - With a [`deadline`](Self::deadline), a call whose turn would leave
///   less than one attempt's time (the per-attempt timeout) before it is not
///   sent: its recipients are reported not sent, with [`Error::Pacing`].
///   Without one, the send takes as long as the rate limit requires. Each
///   call's attempts are bounded by the client's retry policy, from the
///   moment its turn comes.
/// - [`progress`](Self::progress) gives a receiver that sees the counts
///   change as calls finish.
///
/// ```no_run
/// # async fn run<E>(client: &api_core::Client, message: &E, ids: Vec<String>)
/// # where E: api_core::Recipients + Send + Sync + 'static,
/// #       E::Response: api_core::PerRecipientIds {
/// let bulk = client.bulk(message, ids).concurrency(2);
/// let mut progress = bulk.progress();
/// tokio::spawn(async move {
///     while progress.changed().await.is_ok() {
///         let now = *progress.borrow();
///         eprintln!("{}/{}", now.done(), now.total);
///     }
/// });
/// let report = bulk.send().await;
/// for lost in report.unknown_recipients() {
///     eprintln!("may or may not have reached {lost}");
/// }
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a bulk send does nothing until `send` is awaited"]
pub struct BulkSend<'c, E> {
    client: &'c Client,
    template: E,
    recipients: Vec<String>,
    concurrency: usize,
    chunk_size: usize,
    deadline: Option<Duration>,
    progress: watch::Sender<BulkProgress>,
}

impl Client {
    /// A bulk send of `template` to `recipients`, a list of any size
    /// (`template`'s own recipients are ignored). Nothing is sent until
    /// [`BulkSend::send`] is awaited.
    pub fn bulk<E, I, S>(&self, template: &E, recipients: I) -> BulkSend<'_, E>
    where
        E: Recipients,
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut seen = HashSet::new();
        let recipients: Vec<String> = recipients
            .into_iter()
            .map(Into::into)
            .filter(|id| seen.insert(id.clone()))
            .collect();
        let (progress, _) = watch::channel(BulkProgress {
            total: recipients.len(),
            ..BulkProgress::default()
        });
        BulkSend {
            client: self,
            template: template.clone(),
            recipients,
            concurrency: DEFAULT_BULK_CONCURRENCY,
            chunk_size: E::MAX_RECIPIENTS.unwrap_or(usize::MAX),
            deadline: None,
            progress,
        }
    }
}

impl<E> BulkSend<'_, E>
where
    E: Recipients + Send + Sync + 'static,
    E::Response: PerRecipientIds,
{
    /// The most calls in flight at once (default 4; at least 1).
    pub fn concurrency(mut self, calls: usize) -> Self {
        self.concurrency = calls.max(1);
        self
    }

    /// Fewer recipients per call than the endpoint allows (at least 1).
    pub fn chunk_size(mut self, recipients: usize) -> Self {
        self.chunk_size = recipients
            .min(E::MAX_RECIPIENTS.unwrap_or(usize::MAX))
            .max(1);
        self
    }

    /// The time the whole send may take: calls whose turn under the rate
    /// limit would come too late for an attempt to finish are not sent.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// A receiver of the progress, in recipients; it changes each time a
    /// call finishes.
    pub fn progress(&self) -> watch::Receiver<BulkProgress> {
        self.progress.subscribe()
    }

    /// Sends every call and reports each recipient's outcome. Needs a tokio
    /// runtime (the calls run as tasks).
    pub async fn send(self) -> BulkReport {
        let Self {
            client,
            template,
            recipients,
            concurrency,
            chunk_size,
            deadline,
            progress,
        } = self;
        let span = tracing::info_span!(
            "rongcloud.bulk",
            endpoint = E::PATH,
            recipients = recipients.len(),
            chunk_size,
        );
        // Each call queues for its turn until the send's own deadline (or
        // as long as the rate limit requires); from its turn it has the
        // retry policy's deadline.
        let started = client.timer().now();
        let budget = client.retry_policy().deadline;
        let mut report = BulkReport::default();
        let mut chunks = recipients.chunks(chunk_size.max(1));
        let mut running = JoinSet::new();
        loop {
            while running.len() < concurrency
                && let Some(chunk) = chunks.next()
            {
                let call = template.with_recipients(chunk);
                let ids = chunk.to_vec();
                let client = client.clone();
                let queue = deadline.map(|d| (started + d).saturating_sub(client.timer().now()));
                let plan = Deadline::FromTurn { queue, budget };
                running.spawn(
                    async move {
                        let result = client.call(&call, RequestId::new(), plan).await;
                        (ids, result)
                    }
                    .instrument(span.clone()),
                );
            }
            let Some(finished) = running.join_next().await else {
                break;
            };
            let (ids, result) = match finished {
                Ok(outcome) => outcome,
                // Nothing aborts these tasks: only a panic gets here, and
                // it is the caller's to see.
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            };
            let count = ids.len();
            let delivery = record(&mut report, ids, result);
            progress.send_modify(|now| match delivery {
                None => now.delivered += count,
                Some(Delivery::Unknown) => now.unknown += count,
                Some(_) => now.not_sent += count,
            });
        }
        report
    }
}

/// Puts one call's recipients in the report; `None` when delivered.
fn record<R: PerRecipientIds>(
    report: &mut BulkReport,
    ids: Vec<String>,
    result: Result<R, Error>,
) -> Option<Delivery> {
    match result {
        Ok(answer) => {
            let by_recipient: HashMap<&str, &str> = answer.per_recipient_ids().collect();
            report.delivered.extend(ids.into_iter().map(|recipient| {
                let message_id = by_recipient
                    .get(recipient.as_str())
                    .map(|id| id.to_string());
                Delivered {
                    recipient,
                    message_id,
                }
            }));
            None
        }
        Err(error) => {
            let delivery = error.delivery();
            let batch = FailedBatch {
                recipients: ids,
                error: Arc::new(error),
            };
            match delivery {
                Delivery::Unknown => report.unknown.push(batch),
                Delivery::NotSent | Delivery::Rejected => report.not_sent.push(batch),
            }
            Some(delivery)
        }
    }
}
