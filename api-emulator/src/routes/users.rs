//! Users: `/user/getToken.json`, `refresh`, `info`, `token/expire`, `block`,
//! `unblock`, `block/query`, `checkOnline`, and the tag calls of page 003.

use serde_json::json;

use super::params::{self, MAX_USER_ID_BYTES};
use super::{Call, Reply};
use crate::answer;
use crate::form::Form;
use crate::rejection::{Checked, Rejection};
use crate::rules::{self, Accepted};
use crate::sync::lock;

/// D:user/register: `name` "max 64 chars".
const MAX_NAME_CHARS: usize = 64;
/// D:user/register: `portraitUri` "max 1024 bytes".
const MAX_PORTRAIT_BYTES: usize = 1024;
/// D:user/expire, D:user/block, D:user/unblock: "up to 20" user ids.
const MAX_USERS_PER_CALL: usize = 20;
/// D:user/block: `minute` 1..43200 (30 days; no permanent ban).
const MAX_BAN_MINUTES: i64 = 43_200;

/// `/user/tag/set.json`, `/user/tag/batch/set.json` (page 003).
pub(super) fn tags(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let Accepted::Tags(tags) = rules::check(call.endpoint, body)? else {
        unreachable!("tag endpoints answer tags");
    };
    call.admit(1)?;
    call.shared
        .records
        .set_tags(&call.app.key, &tags.user_ids, &tags.tags);
    Ok(Reply::new(answer::ok()))
}

/// `/user/getToken.json`: registers the user (again) and answers a new token,
/// `{"code":200,"userId":..,"token":..}`.
pub(super) fn get_token(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let user = params::user_id(&form, "userId")?;
    // D:user/register: "Supports alphanumeric characters"; the older v4 page also
    // allows `+ = - _`, which existing apps use, so those pass too.
    if let Some(bad) = user
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '=' | '-' | '_')))
    {
        return Err(Rejection::invalid(format!(
            "userId: only letters, digits and + = - _ are allowed, got {bad:?}"
        )));
    }
    let name = params::required(&form, "name")?;
    params::max_chars("name", name, MAX_NAME_CHARS)?;
    let portrait = params::optional_text(&form, "portraitUri")?.filter(|p| !p.is_empty());
    if let Some(portrait) = portrait {
        params::max_bytes("portraitUri", portrait, MAX_PORTRAIT_BYTES)?;
    }
    call.admit(1)?;
    let token = lock(&call.app.state.users).register(user, name, portrait, call.now);
    Ok(Reply::new(answer::json(&json!({
        "code": 200,
        "userId": user,
        "token": token,
    }))))
}

/// `/user/refresh.json`: an absent or empty `name` / `portraitUri` leaves the
/// value as it is (the Go SDK always sends both, empty when unchanged). A user
/// never registered is refused with 1002: no page says what the provider does,
/// and a refresh of an unknown id is almost always a mistake worth seeing.
pub(super) fn refresh(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let user = params::user_id(&form, "userId")?;
    let name = params::optional_text(&form, "name")?.filter(|n| !n.is_empty());
    if let Some(name) = name {
        params::max_chars("name", name, MAX_NAME_CHARS)?;
    }
    let portrait = params::optional_text(&form, "portraitUri")?.filter(|p| !p.is_empty());
    if let Some(portrait) = portrait {
        params::max_bytes("portraitUri", portrait, MAX_PORTRAIT_BYTES)?;
    }
    call.admit(1)?;
    if !lock(&call.app.state.users).refresh(user, name, portrait) {
        return Err(unknown_user(user));
    }
    Ok(Reply::new(answer::ok()))
}

fn unknown_user(user: &str) -> Rejection {
    Rejection::invalid(format!(
        "userId: no user {user:?} was registered with /user/getToken.json"
    ))
}

/// `/user/info.json`: `{"code":200,"userName":..,"userPortrait":..,"createTime":..}`
/// (D:user/get), `createTime` as `yyyy-MM-dd HH:mm:ss` in Beijing time. A user
/// never registered is refused with 1002 (the emulator's choice, as for refresh).
pub(super) fn info(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let user = params::user_id(&form, "userId")?;
    call.admit(1)?;
    let record = lock(&call.app.state.users)
        .get(user)
        .ok_or_else(|| unknown_user(user))?;
    Ok(Reply::new(answer::json(&json!({
        "code": 200,
        "userName": record.name,
        "userPortrait": record.portrait_uri.unwrap_or_default(),
        "createTime": record.create_time,
    }))))
}

fn user_ids(form: &Form<'_>) -> Checked<Vec<String>> {
    params::id_list(form, "userId", MAX_USERS_PER_CALL, MAX_USER_ID_BYTES)
}

/// `/user/token/expire.json`: tokens issued before `time` (ms) stop being valid.
pub(super) fn token_expire(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let users = user_ids(&form)?;
    let time = params::required_int(&form, "time", 1, i64::MAX)?;
    call.admit(1)?;
    lock(&call.app.state.users).expire_tokens(&users, time as u64);
    Ok(Reply::new(answer::ok()))
}

/// `/user/block.json`: bans for `minute` (1..=43200; outside it 1502) on the
/// emulator's clock; a new ban replaces a running one. The users' sessions
/// end at once.
pub(super) fn block(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let users = user_ids(&form)?;
    // A number outside 1..=43200 is a quantity the server refuses with 1502
    // (API-BREADTH.md §5a); a missing or non-numeric one is a parameter error.
    let minutes = params::required_int(&form, "minute", i64::MIN, i64::MAX)?;
    if !(1..=MAX_BAN_MINUTES).contains(&minutes) {
        return Err(Rejection::quantity(format!(
            "minute: must be between 1 and {MAX_BAN_MINUTES}, got {minutes}"
        )));
    }
    call.admit(1)?;
    let until = call.now.saturating_add(minutes as u64 * 60_000);
    lock(&call.app.state.users).block(&users, until);
    Ok(Reply::new(answer::ok()))
}

/// `/user/unblock.json`.
pub(super) fn unblock(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let users = user_ids(&form)?;
    call.admit(1)?;
    lock(&call.app.state.users).unblock(&users);
    Ok(Reply::new(answer::ok()))
}

/// `/user/block/query.json`: `{"code":200,"users":[{"userId":..,"blockEndTime":..}]}`
/// for the bans still running, by user id.
pub(super) fn block_query(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    if !body.is_empty() {
        Form::parse(body)?;
    }
    call.admit(1)?;
    let bans = lock(&call.app.state.users).bans(call.now);
    let users: Vec<_> = bans
        .iter()
        .map(|b| json!({ "userId": b.user_id, "blockEndTime": b.block_end_time }))
        .collect();
    Ok(Reply::new(answer::json(
        &json!({ "code": 200, "users": users }),
    )))
}

/// `/user/checkOnline.json`: `{"code":200,"status":"1"}` when the user has an
/// online session (posted to `/_emulator/online-status` with status "0") and is
/// not banned, `"0"` otherwise.
pub(super) fn check_online(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let user = params::user_id(&form, "userId")?;
    call.admit(1)?;
    let online = lock(&call.app.state.users).is_online(user, call.now);
    Ok(Reply::new(answer::json(&json!({
        "code": 200,
        "status": if online { "1" } else { "0" },
    }))))
}
