//! Receiving the provider's callbacks: verifying their signature and reading
//! their payloads.
//!
//! The provider calls the app's server for several services: full message
//! routing (every message sent in the app, as a form body), user online
//! status and chatroom status (JSON arrays), among others. Each call carries
//! three parameters appended to the callback URL's **query string** (not
//! headers, not the body): a nonce, a timestamp and
//! `signature = lowercase hex(SHA1(AppSecret + nonce + timestamp))`, the
//! same formula as the signature of outbound API calls. Three spellings are
//! in use, and [`CallbackVerifier`] accepts each of them ([`Spelling`]):
//!
//! | nonce | timestamp | signature | where it is documented |
//! |---|---|---|---|
//! | `nonce` | `signTimestamp` (ms) | `signature` | the provider's callback-signature page (current) |
//! | `nonce` | `timestamp` (ms) | `signature` | read by RongCloud's own demo servers (sealtalk, bestcase) |
//! | `rc-nonce` | `rc-timestamp` (**s**) | `rc-signature` | an older version of the signature page |
//!
//! A query that repeats one of these parameters, mixes the `rc-` and the
//! unprefixed spellings, or carries `signTimestamp` and `timestamp` with
//! different values is refused: two readers of such a URL could disagree
//! on what was signed.
//!
//! # Freshness window
//!
//! The signature covers the nonce and the timestamp only, so a captured
//! callback URL (from a proxy's access log, say) stays valid for as long as
//! the receiver accepts its timestamp. The verifier accepts a timestamp at
//! most [`DEFAULT_WINDOW`] (5 minutes) from its clock, before or after it
//! (clocks drift both ways); [`CallbackVerifier::with_window`] changes it,
//! and [`CallbackVerifier::with_clock`] takes the crate's [`Clock`] for
//! tests. The provider documents no window of its own.
//!
//! # Replay guard
//!
//! Within the window, the same URL can be presented again.
//! [`CallbackVerifier::with_replay_guard`] makes the verifier accept each
//! signed callback once: a [`ReplayGuard`] remembers the callbacks accepted
//! until they leave the window (after which the freshness check refuses
//! them anyway), so its memory is bounded by the callback rate times the
//! window. [`MemoryReplayGuard`] serves one process, with a capacity limit
//! on top; a fleet of app servers behind one callback URL shares a store
//! (Redis `SET ... NX PXAT`), by implementing the trait. Only authenticated,
//! fresh callbacks are recorded, so a forger cannot fill the guard or
//! burn a nonce ahead of the real callback.
//!
//! Whether the provider re-signs a callback it retries is not documented.
//! If it repeats the same URL, the guard refuses the repetition as a replay
//! (`403` from the axum integration), so enable the guard when a duplicate
//! delivery is worse for you than a missed retry.
//!
//! # What the signature does not cover
//!
//! The body is not signed: anyone able to alter the request in transit can
//! change the payload and keep the query. Register an `https://` callback
//! URL. The App Secret never leaves the verifier: it is not in its `Debug`
//! output, nor in any [`VerifyError`].
//!
//! # Sources
//!
//! The research in the team's `API-BREADTH.md` §3: the provider's signature
//! page `docs.rongcloud.cn/im/server/signature/` and its copies (CSDN
//! 116160135 for the current names, 117739178 for the `rc-` names in
//! seconds); the community Ruby gem `rongcloud-server-sdk`
//! (`RongCloud::Signer`, whose spec gives the test vector used here);
//! sealtalk's `RCSignInterceptor` (query `appKey`, `nonce`, `timestamp`,
//! `signature`; refuses another `appKey`) and bestcase's status callbacks.
//! None of the five official server SDKs (Go, Java, PHP, Node, Python)
//! verifies callbacks, and none of the helpers found checks freshness or
//! replays, or compares in constant time. Payload fields are listed in §3b,
//! with their sources, on each payload type.
//!
//! # Reading payloads
//!
//! [`MessageRoute`] (message routing, a form body), [`UserOnlineStatus`]
//! and [`ChatroomStatus`] (JSON arrays) are parsed from the raw body by
//! [`FromCallbackBody`], with a [`PayloadError`] naming the field at fault.
//! Verify first, then parse: nothing in the body is trusted before the
//! query checks out.
//!
//! With the `axum` feature, the `axum` module holds an extractor that does
//! both (`VerifiedCallback`), and a tower layer for whole routers
//! (`VerifyCallbackLayer`).
//!
//! [`Clock`]: crate::Clock

mod error;
mod params;
mod payload;
mod replay;
mod verify;

#[cfg(feature = "axum")]
pub mod axum;

pub use error::VerifyError;
pub use params::{Param, Spelling};
pub use payload::{
    ChannelType, ChatroomEvent, ChatroomEventCause, ChatroomStatus, FromCallbackBody, MessageRoute,
    OnlineStatus, PayloadError, UserOnlineStatus,
};
pub use replay::{
    DEFAULT_REPLAY_CAPACITY, MemoryReplayGuard, ReplayFuture, ReplayGuard, ReplayGuardError,
    ReplayKey,
};
pub use verify::{AppKeyCheck, CallbackVerifier, DEFAULT_WINDOW, Verified};
