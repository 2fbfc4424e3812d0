//! A campaign: configuring it ([`CampaignBuilder`]), creating or resuming
//! its journal, and running it ([`Campaign::run`]).

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use api_core::{CallOptions, Client, PerRecipientIds, Recipients, RequestId};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::Instrument;

use crate::error::CampaignError;
use crate::fingerprint::{Fingerprint, sha256_hex, template_body};
use crate::journal::chunks::{self, Claimed, Finish};
use crate::journal::import::{self, Header};
use crate::journal::writer::Writer;
use crate::journal::{CampaignInfo, read_info, schema};
use crate::source::RecipientSource;
use crate::state::{Counts, Step};
use crate::verdict::{Verdict, classify};

/// The default number of calls a campaign has in hand at once.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The default number of failed attempts (refused connections, 1008) after
/// which a chunk is left not sent for this run.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;
/// The default longest wait for a turn under the rate limit after a chunk's
/// intent is written (see [`CampaignBuilder::max_wait_after_intent`]).
pub const DEFAULT_MAX_WAIT_AFTER_INTENT: Duration = Duration::from_secs(1);
/// The chunk size of endpoints that declare no recipient limit.
const FALLBACK_CHUNK_SIZE: usize = 1000;

type Hook = Arc<dyn Fn(Step, u64) + Send + Sync>;

/// Configures a [`Campaign`]: the client, the template request and how to
/// send; then [`create`](Self::create), [`resume`](Self::resume) or
/// [`create_or_resume`](Self::create_or_resume) its journal.
///
/// ```no_run
/// # async fn run(client: api_core::Client) -> Result<(), api_campaign::CampaignError> {
/// use api_campaign::{Campaign, RecipientSource};
/// use api_endpoints::{PrivatePublish, TextMessage};
///
/// let notice = PrivatePublish::new("ops", Vec::<String>::new(), TextMessage::new("Maintenance at 02:00"));
/// let campaign = Campaign::builder(client, notice)
///     .concurrency(4)
///     .create_or_resume("notice.journal", RecipientSource::file("users.txt"))
///     .await?;
/// let summary = campaign.run_until(async { tokio::signal::ctrl_c().await.ok(); }).await?;
/// println!("{}", summary.counts);
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until a journal is created or resumed"]
pub struct CampaignBuilder<E> {
    client: Client,
    template: E,
    concurrency: usize,
    chunk_size: Option<usize>,
    max_attempts: u32,
    max_wait_after_intent: Duration,
    backoff: (Duration, Duration),
    app_data: Option<String>,
    hook: Option<Hook>,
}

impl<E: std::fmt::Debug> std::fmt::Debug for CampaignBuilder<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CampaignBuilder")
            .field("client", &self.client)
            .field("template", &self.template)
            .field("concurrency", &self.concurrency)
            .field("chunk_size", &self.chunk_size)
            .field("max_attempts", &self.max_attempts)
            .field("max_wait_after_intent", &self.max_wait_after_intent)
            .field("app_data", &self.app_data)
            .finish_non_exhaustive()
    }
}

/// A campaign with its journal open, ready to [`run`](Self::run).
///
/// It holds the journal exclusively (a second runner, in this process or
/// another, gets [`CampaignError::InUse`]) until it is dropped or
/// [`close`](Self::close)d.
pub struct Campaign<E> {
    inner: Arc<Inner<E>>,
    info: CampaignInfo,
    created: bool,
    running: AtomicBool,
}

impl<E> std::fmt::Debug for Campaign<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Campaign")
            .field("path", &self.inner.path)
            .field("info", &self.info)
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

struct Inner<E> {
    client: Client,
    template: E,
    writer: Writer,
    path: PathBuf,
    concurrency: usize,
    max_attempts: u32,
    max_wait_after_intent: Duration,
    turn_queue: Duration,
    backoff: (Duration, Duration),
    hook: Option<Hook>,
    progress: watch::Sender<Counts>,
}

/// How a [`Campaign::run`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunSummary {
    /// Recipients by outcome, for the whole campaign (this run and earlier
    /// ones).
    pub counts: Counts,
    /// Whether the stop future ended the run before every chunk was sent.
    pub stopped: bool,
    /// Chunks this run found with an intent and no outcome (a crash) and
    /// recorded as unknown.
    pub found_unknown: u64,
    /// Calls this run made (not counting those the client's pacing held
    /// back before sending).
    pub calls: u64,
}

impl Campaign<()> {
    /// A builder for a campaign sending `template` (its own recipients are
    /// ignored) through `client`.
    pub fn builder<E>(client: Client, template: E) -> CampaignBuilder<E>
    where
        E: Recipients + Send + Sync + 'static,
        E::Response: PerRecipientIds,
    {
        CampaignBuilder {
            client,
            template,
            concurrency: DEFAULT_CONCURRENCY,
            chunk_size: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            max_wait_after_intent: DEFAULT_MAX_WAIT_AFTER_INTENT,
            backoff: (Duration::from_secs(1), Duration::from_secs(60)),
            app_data: None,
            hook: None,
        }
    }
}

impl<E> CampaignBuilder<E>
where
    E: Recipients + Send + Sync + 'static,
    E::Response: PerRecipientIds,
{
    /// The most chunks in hand at once (default 4; at least 1). Each waits
    /// its turn under the client's pacing, so this bounds the calls in
    /// flight, and so the chunks a crash can leave unknown.
    pub fn concurrency(mut self, chunks: usize) -> Self {
        self.concurrency = chunks.max(1);
        self
    }

    /// Fewer recipients per call than the endpoint's `MAX_RECIPIENTS` (at
    /// least 1). Part of the fingerprint: chunks are cut once, when the
    /// journal is created; a resume given another size is refused.
    pub fn chunk_size(mut self, recipients: usize) -> Self {
        self.chunk_size = Some(recipients.clamp(1, max_chunk::<E>()));
        self
    }

    /// Failed attempts of one chunk (connection refused, code 1008 after the
    /// client's own retries) before it is left not sent for this run
    /// (default 5; at least 1). The next run tries it again: it was not
    /// processed.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait between failed attempts of a chunk: from `base`, doubling,
    /// up to `max` (default 1 s to 60 s).
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.backoff = (base, max.max(base));
        self
    }

    /// The longest a chunk may wait for its turn under the rate limit
    /// after its intent is written (default 1 s).
    ///
    /// A chunk whose turn is further away is not sent: its intent is
    /// withdrawn, it waits with no intent, and tries again. So a crash
    /// leaves unknown only the chunks whose requests were leaving or in
    /// flight, not those queued behind the rate limit (with 4 chunks of 1000
    /// at 6000 a minute, those wait up to 40 s). The client's deadline
    /// bounds each call's attempts from its turn.
    pub fn max_wait_after_intent(mut self, wait: Duration) -> Self {
        self.max_wait_after_intent = wait;
        self
    }

    /// Text the application keeps with the campaign in its journal, read
    /// back with [`CampaignInfo::app_data`] (for example the command-line
    /// arguments that rebuild the template on resume). Written at creation
    /// only.
    pub fn app_data(mut self, data: impl Into<String>) -> Self {
        self.app_data = Some(data.into());
        self
    }

    /// Calls `hook(step, chunk)` on each chunk's task at every [`Step`] of
    /// its sending: for tracing, and for crash tests, which stop the
    /// process at a chosen step (see the crate documentation). The hook
    /// runs synchronously on an async task: keep it short.
    pub fn on_step(mut self, hook: impl Fn(Step, u64) + Send + Sync + 'static) -> Self {
        self.hook = Some(Arc::new(hook));
        self
    }

    fn effective_chunk_size(&self) -> usize {
        self.chunk_size.unwrap_or_else(max_chunk::<E>)
    }

    /// Checks the template with one recipient and with a full chunk (so a
    /// rule such as "`count` only with a single recipient" is caught before
    /// anything is written), and returns its body without recipients.
    fn check_template(&self, chunk_size: usize) -> Result<Fingerprint, CampaignError> {
        for n in [1, chunk_size] {
            let probe: Vec<String> = (0..n).map(|i| format!("probe{i}")).collect();
            self.template
                .with_recipients(&probe)
                .validate()
                .map_err(CampaignError::InvalidTemplate)?;
        }
        let body = template_body(&self.template).map_err(CampaignError::Encode)?;
        Ok(Fingerprint {
            endpoint: E::PATH.to_owned(),
            template_sha256: sha256_hex(&body),
            recipients_sha256: None,
            chunk_size,
        })
    }

    /// Creates the journal at `path` (refusing an existing file) and
    /// imports `source` into it. The source is checked line by line while it
    /// is streamed; on any problem the journal is deleted and nothing is
    /// sent. Nothing is sent until [`Campaign::run`].
    pub async fn create(
        self,
        path: impl AsRef<Path>,
        source: RecipientSource,
    ) -> Result<Campaign<E>, CampaignError> {
        let path = path.as_ref().to_owned();
        let fingerprint = self.check_template(self.effective_chunk_size())?;
        let body = template_body(&self.template).map_err(CampaignError::Encode)?;
        let app_data = self.app_data.clone();
        let import_path = path.clone();
        let (conn, info) = blocking(move || {
            let conn = schema::create(&import_path)?;
            let id = RequestId::new().to_string();
            let header = Header {
                id: &id,
                fingerprint: &fingerprint,
                template_body: &String::from_utf8_lossy(&body),
                app_data: app_data.as_deref(),
            };
            let imported = import::import(&conn, &import_path, header, source)
                .and_then(|_| read_info(&conn, &import_path));
            match imported {
                Ok(info) => Ok((conn, info)),
                Err(error) => {
                    drop(conn);
                    remove_journal(&import_path);
                    Err(error)
                }
            }
        })
        .await?;
        tracing::info!(
            path = %path.display(),
            recipients = info.recipients,
            duplicates = info.duplicates,
            chunks = info.chunks,
            "campaign created"
        );
        self.start(conn, path, info, true)
    }

    /// Opens the existing journal at `path` to send what it has left. The
    /// template must be the one it was created with (and the chunk size, if
    /// set): otherwise [`CampaignError::Mismatch`]. The recipients are the
    /// journal's; the source is not read again.
    pub async fn resume(self, path: impl AsRef<Path>) -> Result<Campaign<E>, CampaignError> {
        let path = path.as_ref().to_owned();
        let open_path = path.clone();
        let (conn, info) = blocking(move || {
            let conn = schema::open(&open_path, true)?;
            let info = read_info(&conn, &open_path)?;
            Ok((conn, info))
        })
        .await?;
        let mut given = self.check_template(self.chunk_size.unwrap_or(info.chunk_size))?;
        given.recipients_sha256 = None;
        info.fingerprint_parts().check(&given, &path)?;
        self.start(conn, path, info, false)
    }

    /// [`resume`](Self::resume)s the journal at `path` if it exists, after
    /// checking that `source` holds the same recipients in the same order
    /// (read again, only to hash it); otherwise [`create`](Self::create)s
    /// it. A journal whose import was interrupted (nothing was sent from
    /// it) is created anew.
    pub async fn create_or_resume(
        self,
        path: impl AsRef<Path>,
        source: RecipientSource,
    ) -> Result<Campaign<E>, CampaignError> {
        let path = path.as_ref().to_owned();
        if !path.exists() {
            return self.create(path, source).await;
        }
        let open_path = path.clone();
        let opened = blocking(move || {
            let conn = schema::open(&open_path, true)?;
            match read_info(&conn, &open_path) {
                Ok(info) => Ok(Some((conn, info))),
                Err(CampaignError::ImportIncomplete { .. }) => {
                    drop(conn);
                    remove_journal(&open_path);
                    Ok(None)
                }
                Err(error) => Err(error),
            }
        })
        .await?;
        let Some((conn, info)) = opened else {
            return self.create(path, source).await;
        };
        let mut given = self.check_template(self.chunk_size.unwrap_or(info.chunk_size))?;
        given.recipients_sha256 = Some(blocking(move || import::hash_source(source)).await?);
        info.fingerprint_parts().check(&given, &path)?;
        self.start(conn, path, info, false)
    }

    fn start(
        self,
        conn: rusqlite::Connection,
        path: PathBuf,
        info: CampaignInfo,
        created: bool,
    ) -> Result<Campaign<E>, CampaignError> {
        let writer = Writer::start(conn, path.clone())?;
        let (progress, _) = watch::channel(Counts {
            recipients: info.recipients,
            pending: info.recipients,
            ..Counts::default()
        });
        let turn_queue = self.client.timeout() + self.max_wait_after_intent;
        Ok(Campaign {
            inner: Arc::new(Inner {
                client: self.client,
                template: self.template,
                writer,
                path,
                concurrency: self.concurrency,
                max_attempts: self.max_attempts,
                max_wait_after_intent: self.max_wait_after_intent,
                turn_queue,
                backoff: self.backoff,
                hook: self.hook,
                progress,
            }),
            info,
            created,
            running: AtomicBool::new(false),
        })
    }
}

impl<E> Campaign<E>
where
    E: Recipients + Send + Sync + 'static,
    E::Response: PerRecipientIds,
{
    /// What the campaign is (read from its journal).
    pub fn info(&self) -> &CampaignInfo {
        &self.info
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Whether this value created the journal (rather than resuming it).
    pub fn created(&self) -> bool {
        self.created
    }

    /// A receiver of the counts, updated as chunks are claimed and settled:
    /// for a progress bar.
    ///
    /// ```no_run
    /// # async fn run<E>(campaign: api_campaign::Campaign<E>)
    /// # where E: api_core::Recipients + Send + Sync + 'static, E::Response: api_core::PerRecipientIds {
    /// let mut progress = campaign.progress();
    /// tokio::spawn(async move {
    ///     while progress.changed().await.is_ok() {
    ///         let counts = *progress.borrow();
    ///         eprintln!("{}/{} done", counts.done(), counts.recipients);
    ///     }
    /// });
    /// campaign.run().await.unwrap();
    /// # }
    /// ```
    pub fn progress(&self) -> watch::Receiver<Counts> {
        self.inner.progress.subscribe()
    }

    /// The counts now, from the journal.
    pub async fn counts(&self) -> Result<Counts, CampaignError> {
        self.inner.writer.call(chunks::counts).await
    }

    /// Sends every chunk left (see [`run_until`](Self::run_until)).
    pub async fn run(&self) -> Result<RunSummary, CampaignError> {
        self.run_until(std::future::pending()).await
    }

    /// Sends every chunk left until `stop` completes.
    ///
    /// First the journal is brought up to date after any crash: chunks with
    /// an intent and no outcome become unknown (never sent again by the
    /// campaign), claimed chunks and chunks not sent for a transient reason
    /// become pending. Then pending chunks are claimed in order, at most
    /// [`concurrency`](CampaignBuilder::concurrency) at a time, each
    /// written as an intent with a fresh `X-Request-ID` (durable before the
    /// request leaves), sent with [`Client::send_with`], and settled.
    ///
    /// When `stop` completes (Ctrl-C, a shutdown signal), no new chunk is
    /// claimed, chunks waiting for their turn are given back, and the calls
    /// in flight finish and are recorded; then this returns with
    /// [`RunSummary::stopped`]. A later run goes on where this one stopped.
    ///
    /// An error of the journal (disk full...) stops the run the same way and
    /// is returned once the calls in flight have ended.
    pub async fn run_until(
        &self,
        stop: impl Future<Output = ()> + Send,
    ) -> Result<RunSummary, CampaignError> {
        if self.running.swap(true, Ordering::AcqRel) {
            return Err(CampaignError::AlreadyRunning);
        }
        struct Reset<'a>(&'a AtomicBool);
        impl Drop for Reset<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::Release);
            }
        }
        let _reset = Reset(&self.running);
        let span = tracing::info_span!(
            "rongcloud.campaign",
            path = %self.inner.path.display(),
            campaign = %self.info.id,
            endpoint = E::PATH,
        );
        self.run_inner(stop).instrument(span).await
    }

    async fn run_inner(
        &self,
        stop: impl Future<Output = ()> + Send,
    ) -> Result<RunSummary, CampaignError> {
        let inner = &self.inner;
        let recovered = inner.writer.call(chunks::recover).await?;
        if recovered.unknown > 0 {
            tracing::warn!(
                chunks = recovered.unknown,
                "chunks had an intent and no outcome: recorded as unknown, not sent again"
            );
        }
        inner
            .progress
            .send_replace(inner.writer.call(chunks::counts).await?);
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut stop = std::pin::pin!(stop);
        let calls = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let mut tasks = JoinSet::new();
        let mut stopping = false;
        let mut exhausted = false;
        let mut failure: Option<CampaignError> = None;
        loop {
            while !stopping && !exhausted && tasks.len() < inner.concurrency {
                match inner.writer.call(chunks::claim).await {
                    Ok(Some(chunk)) => {
                        let size = chunk.recipients.len() as u64;
                        inner.progress.send_modify(|counts| {
                            counts.pending -= size;
                            counts.in_flight += size;
                        });
                        tasks.spawn(
                            drive(inner.clone(), chunk, stop_rx.clone(), calls.clone())
                                .in_current_span(),
                        );
                    }
                    Ok(None) => exhausted = true,
                    Err(error) => {
                        failure = Some(error);
                        stopping = true;
                        let _ = stop_tx.send(true);
                    }
                }
            }
            if tasks.is_empty() {
                break;
            }
            tokio::select! {
                () = &mut stop, if !stopping => {
                    tracing::info!("stopping: no new chunk is claimed, calls in flight finish");
                    stopping = true;
                    let _ = stop_tx.send(true);
                }
                Some(joined) = tasks.join_next() => match joined {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => {
                        failure.get_or_insert(error);
                        stopping = true;
                        let _ = stop_tx.send(true);
                    }
                    Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                    Err(_) => {}
                },
            }
        }
        if let Some(error) = failure {
            return Err(error);
        }
        let counts = inner.writer.call(chunks::counts).await?;
        inner.progress.send_replace(counts);
        Ok(RunSummary {
            counts,
            stopped: stopping && counts.pending > 0,
            found_unknown: recovered.unknown,
            calls: calls.load(Ordering::Relaxed),
        })
    }

    /// Closes the journal and waits until it is released (so that
    /// [`Journal::open`](crate::Journal::open) can read it at once).
    /// Dropping the campaign also closes it, without waiting.
    pub async fn close(self) -> Result<(), CampaignError> {
        let inner = self.inner;
        tokio::task::spawn_blocking(move || inner.writer.close())
            .await
            .map_err(|e| CampaignError::io("", std::io::Error::other(e)))
    }
}

/// Sends one claimed chunk until it is settled, or given back on stop.
async fn drive<E>(
    inner: Arc<Inner<E>>,
    chunk: Claimed,
    mut stop: watch::Receiver<bool>,
    calls: Arc<std::sync::atomic::AtomicU64>,
) -> Result<(), CampaignError>
where
    E: Recipients + Send + Sync + 'static,
    E::Response: PerRecipientIds,
{
    let seq = chunk.seq;
    let size = chunk.recipients.len() as u64;
    inner.step(Step::Claimed, seq);
    let call = inner.template.with_recipients(&chunk.recipients);
    let mut failures = 0u32;
    loop {
        if *stop.borrow() {
            inner
                .writer
                .call(move |conn| chunks::release(conn, seq))
                .await?;
            inner.progress.send_modify(|counts| {
                counts.in_flight -= size;
                counts.pending += size;
            });
            return Ok(());
        }
        let request_id = RequestId::new();
        let id = request_id.to_string();
        inner
            .writer
            .call(move |conn| chunks::intent(conn, seq, &id))
            .await?;
        inner.step(Step::IntentWritten, seq);
        // The call may queue for its turn only briefly (`queue` counts an
        // attempt's time too); its deadline, the client's, starts at the
        // turn.
        let options = CallOptions::new()
            .request_id(request_id)
            .queue(Some(inner.turn_queue));
        let result = inner.client.send_with(&call, options).await;
        inner.step(Step::Answered, seq);
        if !matches!(result, Err(api_core::Error::Pacing(_))) {
            calls.fetch_add(1, Ordering::Relaxed);
        }
        let finish = match classify(&chunk.recipients, result) {
            Verdict::Final(finish) => finish,
            Verdict::Transient {
                reason,
                code,
                wait,
                attempt,
            } => {
                failures += u32::from(attempt);
                if failures >= inner.max_attempts {
                    Finish::NotSent {
                        reason,
                        code,
                        retryable: true,
                    }
                } else {
                    tracing::debug!(chunk = seq, %reason, "not sent; trying again");
                    let requeue = Finish::Requeue { reason, code };
                    inner
                        .writer
                        .call(move |conn| chunks::finish(conn, seq, &requeue))
                        .await?;
                    let wait = match wait {
                        // Come back when the turn is within reach.
                        Some(turn) => turn
                            .saturating_sub(inner.max_wait_after_intent)
                            .max(Duration::from_millis(1)),
                        None => backoff(inner.backoff, failures),
                    };
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        _ = stop.changed() => {}
                    }
                    continue;
                }
            }
        };
        let settled = match &finish {
            Finish::Delivered { .. } => |c: &mut Counts, n| c.delivered += n,
            Finish::NotSent { .. } => |c: &mut Counts, n| c.not_sent += n,
            _ => |c: &mut Counts, n| c.unknown += n,
        };
        if let Finish::Unknown { reason, .. } | Finish::NotSent { reason, .. } = &finish {
            tracing::warn!(chunk = seq, %reason, "chunk not delivered");
        }
        inner
            .writer
            .call(move |conn| chunks::finish(conn, seq, &finish))
            .await?;
        inner.progress.send_modify(|counts| {
            counts.in_flight -= size;
            settled(counts, size);
        });
        inner.step(Step::OutcomeWritten, seq);
        return Ok(());
    }
}

impl<E> Inner<E> {
    fn step(&self, step: Step, chunk: u64) {
        if let Some(hook) = &self.hook {
            hook(step, chunk);
        }
    }
}

/// The wait before attempt `failures + 1`: `base`, doubling, up to `max`.
fn backoff((base, max): (Duration, Duration), failures: u32) -> Duration {
    base.saturating_mul(1 << failures.saturating_sub(1).min(16))
        .min(max)
}

fn max_chunk<E: Recipients>() -> usize {
    E::MAX_RECIPIENTS.unwrap_or(FALLBACK_CHUNK_SIZE).max(1)
}

/// Removes a journal and its WAL side files (after a failed import:
/// nothing was sent from it).
fn remove_journal(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

/// Runs blocking journal work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, CampaignError> + Send + 'static,
) -> Result<T, CampaignError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => CampaignError::io("", std::io::Error::other(e)),
        })?
}
