//! A local, faithful stand-in for the RongCloud IM Server API, for quickstarts and
//! tests.
//!
//! It serves the calls below over plain HTTP on loopback, checks every request
//! the way the provider does (signature, body encoding, required parameters,
//! documented limits, per-app services, rate limits), answers in the documented
//! shapes, keeps state like the real server (users, groups, chatrooms, ...), and
//! records what it accepted. It is written from the documentation alone
//! (`shared/api-docs/`, and `shared/API-BREADTH.md`, which cites the provider's
//! pages and official SDKs) and parses the wire format itself, so a client
//! encoding bug shows up as a rejection.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! use std::time::Duration;
//! use api_emulator::{Clock, Emulator, Fault};
//!
//! let clock = Clock::manual();
//! let emulator = Emulator::builder()
//!     .hosts(2)
//!     .clock(clock.clone())
//!     .start()
//!     .await?;
//! // Point a client at emulator.base_urls(), signing with emulator.app_key() and
//! // emulator.app_secret(). Make the primary fail twice:
//! emulator.inject(Fault::internal_error().on_host(0).times(2));
//! // Let an hour pass for the /push.json quota:
//! clock.advance(Duration::from_secs(3600));
//! // Then look at what arrived:
//! assert!(emulator.deliveries().is_empty());
//! assert_eq!(emulator.answer_count(1008), 0);
//! # Ok(()) }
//! ```
//!
//! # Calls served
//!
//! All POST, signed with `App-Key`, `Nonce`, `Timestamp`, `Signature`; form
//! bodies except where marked JSON. [`served_paths`] lists them in code.
//!
//! | area | calls | rate limit |
//! |---|---|---|
//! | users | `/user/getToken.json`, `/user/refresh.json`, `/user/info.json`, `/user/token/expire.json`, `/user/block.json`, `/user/unblock.json`, `/user/block/query.json`, `/user/checkOnline.json` | getToken 200/s, the others 100/s |
//! | tags | `/user/tag/set.json`, `/user/tag/batch/set.json` (JSON) | none |
//! | messages | `/message/private/publish.json`, `/message/system/publish.json`, `/message/online/broadcast.json`, `/push.json` (JSON) | 6000/min per user, 100/s per user, 60/min, 2/h and 3/day |
//! | group messages | `/message/group/publish.json` (≤ 3 groups; `toUserId` targets members of one) | 20 messages/s, a call to N groups counts N |
//! | chatroom messages | `/message/chatroom/publish.json` | 100 messages/s, counted per room |
//! | ultra group messages | `/message/ultragroup/publish.json` (JSON, 1..3 groups, `busChannel` ≤ 20 alphanumerics) | 100 messages/s per app counted per group, and 20/s per channel (per group without `busChannel`) |
//! | recall, history | `/message/recall.json`, `/message/history.json`, `/message/history/delete.json` (`date` = `yyyyMMddHH`) | 100/s; history: 100/s (default) |
//! | groups | `/group/create.json`, `/group/join.json`, `/group/quit.json`, `/group/dismiss.json`, `/group/sync.json` (`group[<id>]=<name>`), `/group/refresh.json`, `/group/user/query.json`, `/user/group/query.json`; create/join/quit/dismiss take the bound notification (`bindNotifyMsg=true`, ...) | 100/s |
//! | chatrooms | `/chatroom/create_new.json`, `/chatroom/create.json` (`chatroom[<id>]=<name>`, ≤ 100), `/chatroom/destroy.json`, `/chatroom/query.json` (≤ 20) | 100/s (create and query: default) |
//! | sensitive words | `/sensitiveword/add.json` (quota 50), `/sensitiveword/list.json` (type 0/1/2), `/sensitiveword/delete.json`, `/sensitiveword/batch/delete.json` (≤ 50) | 100/s (list, delete: default) |
//! | ultra groups | `/ultragroup/create.json`, `/ultragroup/join.json`, `/ultragroup/quit.json`, `/ultragroup/dis.json` | create 100/s, the others default |
//!
//! "Default" marks calls no page gives a limit for: they get the provider's
//! default of 100 calls a second, and their 1008 answer says so. Refusals follow
//! REFERENCE.md's table: 1002 (HTTP 400) for a missing or invalid parameter and
//! 1005 for one too long, the message starting with the parameter's name (a
//! ban's `minute` outside 1..43200: 1502, "quantity exceeded"); 1008
//! (HTTP 429) beyond a rate limit, the refused call taking nothing; 1009 (HTTP 430)
//! while a [`Service`] is off (push, broadcast, package-name notification, online
//! broadcast, message history, ultra groups). A refused call changes nothing.
//!
//! # The emulator's own routes
//!
//! Under `/_emulator/` on the same port, JSON: `deliveries`, `inbox/{userId}`,
//! `delivery-counts`, `requests`, `stats`, `callbacks`, `state` and per area
//! `users`, `bans`, `groups`, `chatrooms`, `ultragroups`, `sensitive-words`,
//! `recalls` (`?appKey=` picks an app other than the first); `POST
//! online-status` plays clients connecting; `history/{appKey}/{yyyyMMddHH}.gz`
//! serves the files `/message/history.json` names. [`Emulator`] has the same
//! views as methods.
//!
//! # Callbacks
//!
//! With [`EmulatorBuilder::callback_url`] the emulator posts a signed
//! message-routing callback for each message it accepts; with
//! [`EmulatorBuilder::user_status_callback_url`] it posts the online-status
//! events a test plays ([`Emulator::post_online_status`]); with
//! [`EmulatorBuilder::chatroom_status_callback_url`] it posts chatroom creations
//! and destructions. Each is signed in the query string: `nonce`,
//! `signTimestamp` (ms) and `signature = hex(SHA1(App Secret + nonce +
//! signTimestamp))`. Posting is asynchronous from a bounded queue and never
//! holds up or fails an API call; see [`CallbackStats`].
//!
//! # Where the documentation is silent
//!
//! What the emulator does where no page or SDK says what the provider does:
//!
//! - **Users.** `/user/refresh.json` and `/user/info.json` refuse a user never
//!   registered with 1002 naming `userId`. An empty `name` or `portraitUri` in
//!   refresh leaves it unchanged (the Go SDK always sends both). getToken's
//!   `userId` may hold letters, digits and the older page's `+ = - _`. Bans and
//!   token expiry accept any id. `/user/checkOnline.json` answers "1" while a
//!   session posted online (status "0") has not gone offline and the user is not
//!   banned; a ban ends the sessions ("disconnects at once").
//! - **Groups.** Joining an unknown group creates it; creating an existing group
//!   adds the users and renames it; quitting, dismissing or refreshing an
//!   unknown group answers 200 and changes nothing; a group left empty is
//!   forgotten. Passing 3000 members is answered with the code table's HTTP 405,
//!   body code 405, naming `userId`. A bound notification goes to the members
//!   after a create or join and before a quit or dismiss (so leavers get it);
//!   `memberCount` is the size after the call (0 after dismiss); `maxMember` is
//!   checked as a count and not acted on.
//! - **Group publish** answers `messageUID` (the first group's) and
//!   `messageUIDs: [{groupId, messageUID}]` (the Go SDK's `MessageResult`). A
//!   group nobody joined gets a delivery with no recipients; targeted `toUserId`
//!   that are not members get nothing. On a targeted message only values that
//!   would take effect (`expansion=true`, `disablePush=true`, a non-empty
//!   `extraContent` or `pushExt`) are refused, since the Go SDK always sends
//!   `expansion=false` and `disablePush=false`.
//! - **Chatrooms.** Messages to rooms never created through the API are accepted
//!   (clients create rooms by joining) and name no recipients (the emulator does
//!   not see members). Creating an existing room answers 200 and keeps the first
//!   settings; `destroyTime=0` reads as unset (the Go SDK sends it);
//!   `entryInfo` needs `entryOwnerId`. Rooms live until destroyed: inactivity
//!   depends on members the emulator cannot see.
//! - **Recall** of an id the emulator never answered (or has forgotten past the
//!   record limit) is refused with 1002 naming `messageUID`; so is one naming the
//!   message differently from its send (`conversationType`, `targetId`,
//!   `busChannel`, or a `fromUserId` other than the sender without `isAdmin=1`).
//!   `sentTime` is checked as a number, not compared. A second recall of the
//!   same message is accepted and recorded again.
//! - **History.** Times are Beijing time. The file is ready at once (the provider
//!   needs about an hour) and kept 3 days after its hour; it is gzip of one JSON
//!   object per line, with fields named after the provider's log (`appId`,
//!   `fromUserId`, `targetId`, `targetType`, `GroupId`, `classname`, `content`,
//!   `busChannel`, `dateTime`, `msgUID`); its exact content is not documented.
//!   Delete removes what the hour holds so far. Recall and history read the
//!   recorded deliveries, so [`Emulator::clear_records`] forgets them too.
//! - **Sensitive words** apply at once (the provider takes about 15 minutes, the
//!   PHP SDK says 2 hours), as case-sensitive substrings of every string value of
//!   JSON content, to private, system, group, chatroom and ultra group messages
//!   and bound notifications. A blocked message is answered as accepted, with
//!   its ids, reaches nobody, is not routed and is not in the history. The 51st
//!   word is refused with 1019 (the Node SDK's code) and HTTP 403 (the status of
//!   the similar 1016). `list` without `type` lists blocking words (the Python
//!   SDK's default); adding a word again changes its replacement.
//! - **Ultra groups** need the ultra group service (1009 while off). Joining or
//!   publishing to an ultra group never created is refused with 1002; quitting or
//!   dissolving one answers 200. A message reaches every member, the sender
//!   included (the page: the sender receives it too). Errors also carry the
//!   message as `msg`, which the Go SDK reads.
//! - **`msgRandom`** is checked as a number; its one-minute idempotency needs a
//!   ticket with the provider and an undocumented error code, so it is not
//!   emulated.
//! - **Callbacks.** Messages sent through the API are routed (the provider does
//!   so only when asked). `channelType` is `PERSON`, `GROUP`, `TEMPGROUP`
//!   (chatroom), `NOTIFY` (system) or `ULTRAGROUP`; `source` is `Server`;
//!   `originalMsgUID` is empty; a private or system message is one callback per
//!   recipient. `signTimestamp` is the wall clock, whatever [`Clock`] the
//!   emulator runs on, since the receiver checks freshness against its own. One
//!   task posts in order, 3 seconds each, without retries (no page says the
//!   provider retries); URLs are `http://` only. Several apps share the URLs,
//!   each callback signed with its app's secret. Chatroom status events are
//!   posted for creations and destructions by API call (`status` 0).
//! - **Memory.** Every collection is bounded by [`EmulatorBuilder::record_limit`],
//!   oldest forgotten first.
#![warn(missing_docs)]

mod access;
mod answer;
mod callbacks;
pub mod cli;
mod clock;
mod config;
pub mod documented;
mod downloads;
mod emulator;
mod endpoints;
mod faults;
mod form;
mod ids;
mod inspect;
mod pipeline;
mod rate;
mod records;
mod rejection;
mod routes;
mod rules;
mod server;
mod shared;
mod signature;
mod state;
mod sync;
mod time;

pub use callbacks::{CallbackFailure, CallbackKind, CallbackStats, OnlineStatusEvent};
pub use clock::Clock;
pub use config::{AppConfig, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, Service};
pub use emulator::{Emulator, EmulatorBuilder};
pub use faults::{Fault, FaultId, FaultKind};
pub use records::{ConnectionStats, Delivery, DeliveryKind, RequestRecord, Sensitive};
pub use signature::sign;
pub use state::{
    BanRecord, ChatroomRecord, GroupRecord, RecallRecord, SensitiveWord, StateSnapshot,
    TokenRecord, UltraGroupRecord, UserRecord,
};

/// Every Server API path the emulator serves, in the order `--help` lists them.
///
/// ```
/// let paths: Vec<&str> = api_emulator::served_paths().collect();
/// assert!(paths.contains(&"/user/getToken.json"));
/// assert!(paths.contains(&"/message/ultragroup/publish.json"));
/// ```
pub fn served_paths() -> impl Iterator<Item = &'static str> {
    routes::paths()
}
