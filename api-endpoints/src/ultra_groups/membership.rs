//! `POST /ultragroup/create.json`, `/ultragroup/join.json`,
//! `/ultragroup/quit.json` and `/ultragroup/dis.json`.

use api_core::endpoint;

/// Creates an ultra group with one user in it (apps opened after 2022-10-13
/// also get its default channel `RCDefault`).
///
/// - Limits: `userId` (exactly one) 1 to 64 bytes; `groupId` 1 to 64
///   characters of `A-Za-z0-9`; `groupName` not empty.
/// - Rate limit: 100 calls a second.
/// - Idempotent: creating it again adds nobody new.
/// - Sources: Dcn:ultragroup/create-ultragroup; Go `UltraGroupCreate`
///   (API-BREADTH.md §2 row 23).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UltraGroupCreate;
///
/// UltraGroupCreate::new("owner", "fans", "Fan club").send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/ultragroup/create.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UltraGroupCreate {
    /// The user who creates and joins it (`userId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub user_id: String,
    /// The ultra group (`groupId`).
    #[endpoint(non_empty, max_chars = 64, chars = "alnum")]
    pub group_id: String,
    /// Its name (`groupName`).
    #[endpoint(non_empty)]
    pub group_name: String,
}

impl UltraGroupCreate {
    /// `user_id` creates `group_id` named `group_name`.
    pub fn new(
        user_id: impl Into<String>,
        group_id: impl Into<String>,
        group_name: impl Into<String>,
    ) -> Self {
        Self {
            user_id: user_id.into(),
            group_id: group_id.into(),
            group_name: group_name.into(),
        }
    }
}

/// Adds a user to an ultra group.
///
/// - Limits: `userId` 1 to 64 bytes; `groupId` 1 to 64 characters of
///   `A-Za-z0-9`.
/// - Rate limit: 100 calls a second, the provider's default: no page found
///   states one for this call.
/// - Idempotent: joining again changes nothing.
/// - Sources: Go `UltraGroupJoin`; Java `methods/ultragroup/UltraGroup.java`
///   (API-BREADTH.md §2 row 24).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UltraGroupJoin;
///
/// UltraGroupJoin::new("fan1", "fans").send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/ultragroup/join.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UltraGroupJoin {
    /// The user (`userId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub user_id: String,
    /// The ultra group (`groupId`).
    #[endpoint(non_empty, max_chars = 64, chars = "alnum")]
    pub group_id: String,
}

impl UltraGroupJoin {
    /// `user_id` joins `group_id`.
    pub fn new(user_id: impl Into<String>, group_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            group_id: group_id.into(),
        }
    }
}

/// Removes a user from an ultra group.
///
/// - Limits: `userId` 1 to 64 bytes; `groupId` 1 to 64 characters of
///   `A-Za-z0-9`.
/// - Rate limit: 100 calls a second, the provider's default: no page found
///   states one for this call.
/// - Idempotent: quitting again changes nothing.
/// - Sources: Go `UltraGroupQuit`; Java `methods/ultragroup/UltraGroup.java`
///   (API-BREADTH.md §2 row 24).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UltraGroupQuit;
///
/// UltraGroupQuit::new("fan1", "fans").send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/ultragroup/quit.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UltraGroupQuit {
    /// The user (`userId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub user_id: String,
    /// The ultra group (`groupId`).
    #[endpoint(non_empty, max_chars = 64, chars = "alnum")]
    pub group_id: String,
}

impl UltraGroupQuit {
    /// `user_id` leaves `group_id`.
    pub fn new(user_id: impl Into<String>, group_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            group_id: group_id.into(),
        }
    }
}

/// Dissolves an ultra group (`/ultragroup/dis.json`).
///
/// - Limits: `groupId` 1 to 64 characters of `A-Za-z0-9`.
/// - Rate limit: 100 calls a second, the provider's default: no page found
///   states one for this call.
/// - Idempotent: dissolving it again changes nothing.
/// - Sources: Go `UltraGroupDis`; Java `methods/ultragroup/UltraGroup.java`
///   (API-BREADTH.md §2 row 24).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UltraGroupDissolve;
///
/// UltraGroupDissolve::new("fans").send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/ultragroup/dis.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UltraGroupDissolve {
    /// The ultra group (`groupId`).
    #[endpoint(non_empty, max_chars = 64, chars = "alnum")]
    pub group_id: String,
}

impl UltraGroupDissolve {
    /// Dissolves `group_id`.
    pub fn new(group_id: impl Into<String>) -> Self {
        Self {
            group_id: group_id.into(),
        }
    }
}
