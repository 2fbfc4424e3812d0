//! Ultra groups: groups of unlimited size with channels (`/ultragroup/*.json`
//! and `/message/ultragroup/publish.json`; API-BREADTH.md §2 rows 23 to 25).
//! Every call needs the ultra group service opened for the app (code 1009
//! otherwise).

mod membership;
mod publish;

pub use membership::{UltraGroupCreate, UltraGroupDissolve, UltraGroupJoin, UltraGroupQuit};
pub use publish::{StringFlag, UltraGroupMessageUid, UltraGroupPublish, UltraGroupPublishResponse};
