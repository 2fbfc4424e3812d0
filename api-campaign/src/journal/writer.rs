//! The runner's journal connection, on a thread of its own, with group
//! commit.
//!
//! Why a dedicated thread rather than `spawn_blocking` per write: the
//! connection (not `Sync`) and its cached statements stay on one thread
//! with no mutex, and writes that arrive together from concurrent chunk
//! tasks are committed together: one `fsync` makes several intents (or
//! outcomes) durable at once (measured in `benches/journal.rs`). Each
//! write's future resolves only after the commit that contains it, so an
//! intent is on disk before its request is sent.

use std::path::PathBuf;
use std::sync::{Mutex, mpsc};
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::error::CampaignError;

/// At most this many writes share one transaction.
const MAX_BATCH: usize = 256;

/// A piece of work for the writer thread.
trait Job: Send {
    /// Runs inside the group's transaction; whether it succeeded (a failed
    /// job's changes are rolled back).
    fn run(&mut self, conn: &Connection) -> bool;
    /// Hands the result to the waiting task once the group is committed (or
    /// failed).
    fn finish(self: Box<Self>, committed: Result<(), &CampaignError>);
}

struct Call<F, T> {
    work: Option<F>,
    result: Option<Result<T, CampaignError>>,
    reply: oneshot::Sender<Result<T, CampaignError>>,
    path: PathBuf,
}

impl<F, T> Job for Call<F, T>
where
    F: FnOnce(&Connection) -> Result<T, CampaignError> + Send,
    T: Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let work = self.work.take().expect("a job runs once");
        let result = work(conn).map_err(|error| error.with_path(&self.path));
        let succeeded = result.is_ok();
        self.result = Some(result);
        succeeded
    }

    fn finish(self: Box<Self>, committed: Result<(), &CampaignError>) {
        let result = match (committed, self.result) {
            (Ok(()), Some(result)) => result,
            // The job's own failure explains more than the commit's.
            (Err(_), Some(Err(own))) => Err(own),
            (Err(error), _) => Err(error.duplicate()),
            (Ok(()), None) => Err(CampaignError::io(
                &self.path,
                std::io::Error::other("the journal stopped before running this write"),
            )),
        };
        // The task may have stopped waiting (its campaign was dropped).
        let _ = self.reply.send(result);
    }
}

/// The handle of the writer thread.
#[derive(Debug)]
pub(crate) struct Writer {
    jobs: Mutex<Option<mpsc::Sender<Box<dyn Job>>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    path: PathBuf,
}

impl Writer {
    /// Moves `conn` to a new thread that runs jobs until the writer is
    /// closed or dropped.
    pub(crate) fn start(conn: Connection, path: PathBuf) -> Result<Self, CampaignError> {
        let (jobs, inbox) = mpsc::channel::<Box<dyn Job>>();
        let thread_path = path.clone();
        let thread = std::thread::Builder::new()
            .name("campaign-journal".into())
            .spawn(move || serve(conn, inbox, thread_path))
            .map_err(|e| CampaignError::io(&path, e))?;
        Ok(Self {
            jobs: Mutex::new(Some(jobs)),
            thread: Mutex::new(Some(thread)),
            path,
        })
    }

    /// Runs `work` on the journal in the next group transaction; resolves
    /// once that transaction is committed (durably) or has failed. When
    /// `work` fails, its changes are rolled back and the group's others
    /// still commit.
    pub(crate) async fn call<T, F>(&self, work: F) -> Result<T, CampaignError>
    where
        F: FnOnce(&Connection) -> Result<T, CampaignError> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Call {
            work: Some(work),
            result: None,
            reply,
            path: self.path.clone(),
        });
        let closed = || CampaignError::io(&self.path, std::io::Error::other("journal closed"));
        lock(&self.jobs)
            .as_ref()
            .ok_or_else(closed)?
            .send(job)
            .map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }

    /// Lets the thread finish its queued jobs, close the connection (and so
    /// release the file), and waits for it.
    pub(crate) fn close(&self) {
        lock(&self.jobs).take();
        let thread = lock(&self.thread).take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

// Dropping a writer drops its sender, which ends the thread after its
// queued jobs, without waiting for it: dropping a campaign in async code
// must not block a runtime thread on the last commit.

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn serve(conn: Connection, inbox: mpsc::Receiver<Box<dyn Job>>, path: PathBuf) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(MAX_BATCH);
    while let Ok(first) = inbox.recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match inbox.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let committed = run_batch(&conn, &mut batch, &path);
        for job in batch.drain(..) {
            job.finish(committed.as_ref().map(|_| ()));
        }
    }
    // Closing checkpoints the WAL into the database file.
    if let Err((_, error)) = conn.close() {
        tracing::warn!(path = %path.display(), %error, "closing the journal failed");
    }
}

fn run_batch(
    conn: &Connection,
    batch: &mut [Box<dyn Job>],
    path: &std::path::Path,
) -> Result<(), CampaignError> {
    let storage = |e| CampaignError::storage(path, e);
    conn.execute_batch("BEGIN IMMEDIATE").map_err(storage)?;
    for job in batch.iter_mut() {
        let step = (|| {
            conn.execute_batch("SAVEPOINT job").map_err(storage)?;
            if !job.run(conn) {
                conn.execute_batch("ROLLBACK TO job").map_err(storage)?;
            }
            conn.execute_batch("RELEASE job").map_err(storage)
        })();
        if let Err(error) = step {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(error);
        }
    }
    if let Err(error) = conn.execute_batch("COMMIT") {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(storage(error));
    }
    Ok(())
}
