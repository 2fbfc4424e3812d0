//! Users: registration and tokens, profile, bans and online status
//! (`/user/*.json`, API-BREADTH.md §2 rows 1 to 7).

mod ban;
mod profile;
mod register;

pub use ban::{BlockedUser, BlockedUsers, UserBlock, UserBlockQuery, UserUnblock};
pub use profile::{
    OnlineStatus, OnlineStatusResponse, UserCheckOnline, UserInfo, UserInfoResponse, UserRefresh,
};
pub use register::{UserRegister, UserToken, UserTokenExpire};

/// The longest user id, in bytes (D:user/register: "最大长度 64 字节").
pub const MAX_USER_ID_BYTES: usize = 64;
/// The longest user name, in characters (D:user/register, D:user/modify).
pub const MAX_USER_NAME_CHARS: usize = 64;
/// The longest portrait URL, in bytes (D:user/register, D:user/modify).
pub const MAX_PORTRAIT_URI_BYTES: usize = 1024;
/// The most users one token-expiry, ban or unban call names (D:user/expire,
/// D:user/block, D:user/unblock: "up to 20").
pub const MAX_USERS_PER_CALL: usize = 20;
