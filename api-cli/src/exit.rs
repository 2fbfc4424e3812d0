//! The exit codes of `rongcloud`, and the error every command returns.
//!
//! The codes say what an operator (or a script) must do next, so a refused
//! call and a call whose outcome is unknown have codes of their own: the
//! first may be repeated, the second must be checked before it is.

use std::fmt;
use std::process::ExitCode;

use api_core::{Delivery, Error};

/// The table `--help` shows after the commands.
pub const EXIT_CODES: &str = "\
Exit codes:
  0    done: every call was accepted (a campaign: every recipient delivered)
  1    failed: a file or journal could not be read or written, a callback
       did not verify, or another error stopped the command
  2    usage: invalid arguments or input (a malformed id, an unreadable or
       empty recipients file, a journal of a different campaign, an unknown
       quota in --limit, a missing App Key); nothing was sent
  3    refused: the server refused the call, or it could not be sent; it was
       not processed and may be repeated (a campaign: some recipients are
       not_sent)
  4    unknown: the call may or may not have been processed; check before
       sending it again (a campaign: some recipients are unknown)
  130  interrupted: a campaign stopped on Ctrl-C before every recipient was
       settled; `rongcloud campaign resume` goes on where it stopped";

/// An exit code of `rongcloud` (see [`EXIT_CODES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Everything was accepted.
    Done = 0,
    /// A local failure (files, journal), or a callback that did not verify.
    Failed = 1,
    /// Invalid arguments or input; nothing was sent.
    Usage = 2,
    /// Refused or not sent: not processed.
    Refused = 3,
    /// The outcome of a call is unknown.
    Unknown = 4,
    /// A campaign stopped on a signal before it was finished.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// Why a command ended without doing all it was asked: the message for
/// standard error and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub exit: Exit,
    /// What to tell the operator (one or more lines).
    pub message: String,
}

impl Failure {
    /// A failure with this code and message.
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
        }
    }

    /// Invalid input: exit code 2, nothing sent.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }

    /// A local failure: exit code 1.
    pub fn failed(message: impl Into<String>) -> Self {
        Self::new(Exit::Failed, message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The exit code of a failed call, from what is known of its delivery.
pub fn exit_of(error: &Error) -> Exit {
    match error {
        Error::Validation(_) | Error::Config(_) | Error::Encode(_) => Exit::Usage,
        _ => match error.delivery() {
            Delivery::NotSent | Delivery::Rejected => Exit::Refused,
            _ => Exit::Unknown,
        },
    }
}

/// A failed call as the operator reads it: what happened, what it means,
/// and the request id for the provider's support.
pub fn call_failure(error: &Error) -> Failure {
    let exit = exit_of(error);
    let meaning = match exit {
        Exit::Usage => "nothing was sent",
        Exit::Refused => "the call was not processed; it may be repeated",
        _ => "the call may or may not have been processed: check before sending it again",
    };
    // A validation error says itself that nothing was sent.
    let mut message = match error {
        Error::Validation(_) => error.to_string(),
        _ => format!("{error}\n({meaning})"),
    };
    if let Some(id) = error.request_id() {
        message.push_str(&format!("\nX-Request-ID: {id}"));
    }
    Failure::new(exit, message)
}
