//! Groups: membership, names and the user-side reconciliation
//! (`/group/*.json`, `/user/group/query.json`; API-BREADTH.md §2 rows 8 to
//! 14), and the notification message the membership calls can send in the
//! same call.

mod membership;
mod notification;
mod query;
mod sync;

pub use membership::{GroupCreate, GroupDismiss, GroupJoin, GroupOperationResponse, GroupQuit};
pub use notification::{BoundNotification, NoNotification};
pub use query::{
    GroupMember, GroupMemberQuery, GroupMembers, UserGroup, UserGroupQuery, UserGroups,
};
pub use sync::{GroupRefresh, GroupSync};

/// The longest group id, in characters, all of `A-Za-z0-9`
/// (D:group/create-group).
pub const MAX_GROUP_ID_CHARS: usize = 64;
/// The longest group name, in characters (Go `GroupCreate`; Py `group.py`).
pub const MAX_GROUP_NAME_CHARS: usize = 64;
/// The most users one create, join or quit names (D:group/create-group,
/// join-group, quit-group: "up to 1000").
pub const MAX_GROUP_USERS_PER_CALL: usize = 1000;
