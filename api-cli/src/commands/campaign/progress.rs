//! Progress on standard error: a bar on a terminal (indicatif), a plain
//! line every few seconds otherwise (a log file, a CI job).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use api_campaign::Counts;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The bar on screen, if any: messages printed while it is drawn go
/// through it, so they do not tear it.
static BAR: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Prints a line on standard error, above the progress bar when one is
/// drawn.
pub fn say(line: &str) {
    let bar = BAR.lock().ok().and_then(|bar| bar.clone());
    match bar {
        Some(bar) => bar.suspend(|| eprintln!("{line}")),
        None => eprintln!("{line}"),
    }
}

/// Shows a campaign's counts while it runs.
pub struct Reporter {
    task: JoinHandle<()>,
    stop: tokio::sync::oneshot::Sender<()>,
}

impl Reporter {
    /// Starts showing `progress`: a bar when standard error is a terminal,
    /// else a line every `every` (when something changed) and at the end.
    pub fn start(progress: watch::Receiver<Counts>, every: Duration) -> Self {
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let task = if std::io::stderr().is_terminal() {
            tokio::spawn(bar(progress, stopped))
        } else {
            tokio::spawn(lines(progress, every, stopped))
        };
        Self { task, stop }
    }

    /// Shows the last counts and stops.
    pub async fn finish(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// `40/100 settled: 40 delivered, 0 not sent, 0 unknown; 20 in flight, 40 pending`
pub fn line(counts: &Counts) -> String {
    format!(
        "{}/{} settled: {} delivered, {} not sent, {} unknown; {} in flight, {} pending",
        counts.done(),
        counts.recipients,
        counts.delivered,
        counts.not_sent,
        counts.unknown,
        counts.in_flight,
        counts.pending
    )
}

async fn lines(
    mut progress: watch::Receiver<Counts>,
    every: Duration,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut shown: Option<Counts> = None;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = &mut stopped => break,
        }
        let now = *progress.borrow_and_update();
        if shown != Some(now) {
            eprintln!("progress: {}", line(&now));
            shown = Some(now);
        }
    }
    let now = *progress.borrow();
    if shown != Some(now) {
        eprintln!("progress: {}", line(&now));
    }
}

async fn bar(
    mut progress: watch::Receiver<Counts>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let first = *progress.borrow_and_update();
    let bar = ProgressBar::with_draw_target(Some(first.recipients), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} recipients, {elapsed} elapsed, eta {eta}: {msg}",
        )
        .expect("the template is valid"),
    );
    let show = |counts: &Counts| {
        bar.set_position(counts.done());
        bar.set_message(format!(
            "{} delivered, {} not sent, {} unknown",
            counts.delivered, counts.not_sent, counts.unknown
        ));
    };
    show(&first);
    if let Ok(mut shown) = BAR.lock() {
        *shown = Some(bar.clone());
    }
    loop {
        tokio::select! {
            changed = progress.changed() => {
                if changed.is_err() {
                    break;
                }
                show(&progress.borrow_and_update());
            }
            _ = &mut stopped => break,
        }
    }
    show(&progress.borrow());
    // `abandon` keeps the position: `finish` would show a stopped run full.
    bar.abandon();
    // The bar's line stays; what follows starts on the next one.
    eprintln!();
    if let Ok(mut shown) = BAR.lock() {
        *shown = None;
    }
}
