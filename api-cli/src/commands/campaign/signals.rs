//! Ctrl-C (and SIGTERM) during a campaign: the first stops it cleanly, the
//! second abandons the calls in flight.

use tokio::sync::watch;

/// Listens for the signals from its installation on.
pub struct Stop {
    requested: watch::Receiver<bool>,
}

impl Stop {
    /// Takes over Ctrl-C and SIGTERM for the rest of the process.
    pub fn install() -> Self {
        let (tx, requested) = watch::channel(false);
        tokio::spawn(async move {
            signal().await;
            super::progress::say(
                "\nstopping: no new call starts; the calls in flight finish and are recorded \
                 (Ctrl-C again to abandon them: they will be recorded as unknown)",
            );
            let _ = tx.send(true);
            signal().await;
            super::progress::say(
                "abandoned: the calls that were in flight are recorded as unknown when the \
                 campaign is resumed",
            );
            std::process::exit(crate::exit::Exit::Interrupted as i32);
        });
        Self { requested }
    }

    /// Completes at the first signal.
    pub fn requested(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut requested = self.requested.clone();
        async move {
            // An error means the listener ended, which it does not before
            // exiting the process: wait forever then.
            if requested.wait_for(|stop| *stop).await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

/// The next Ctrl-C or SIGTERM.
async fn signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            Some(_) = async {
                match term.as_mut() {
                    Some(term) => term.recv().await,
                    None => std::future::pending().await,
                }
            } => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
