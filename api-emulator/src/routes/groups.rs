//! Groups: `/group/create.json`, `join`, `quit`, `dismiss`, `sync`, `refresh`,
//! `/group/user/query.json` and `/user/group/query.json` (D:group/*; Go
//! `sdk/group.go`).

use serde_json::json;

use super::notification::{self, Bound};
use super::params::{self, MAX_USER_ID_BYTES};
use super::{Call, Reply};
use crate::answer;
use crate::form::Form;
use crate::rejection::{Checked, Rejection};
use crate::sync::lock;

/// D:group/create-group, join-group, quit-group: "up to 1000" user ids a call.
const MAX_USERS_PER_CALL: usize = 1000;
/// D:group/query-group-by-user: "size ... 默认 50,最大 1000".
const DEFAULT_PAGE_SIZE: i64 = 50;
const MAX_PAGE_SIZE: i64 = 1000;
/// D:group/query-group-by-user: without `page`, the first 5000 groups.
const UNPAGED_GROUPS: usize = 5000;

/// `{"code":200}`, or with a bound notification `{"code":200,"messageUID":..,
/// "memberCount":..}` (Go `OperationGroupResult`). `memberCount` is the group's
/// size after the call (0 after a dismiss).
fn answer_with(message: Option<String>, member_count: usize) -> Reply {
    match message {
        None => Reply::new(answer::ok()),
        Some(id) => Reply::delivered(answer::json(&json!({
            "code": 200,
            "messageUID": id,
            "memberCount": member_count,
        }))),
    }
}

fn members_param(form: &Form<'_>) -> Checked<Vec<String>> {
    params::id_list(form, "userId", MAX_USERS_PER_CALL, MAX_USER_ID_BYTES)
}

/// `/group/create.json`: creating a group that exists adds the users and
/// renames it (the provider's create is a join that names the group; no page
/// says it refuses an existing id).
pub(super) fn create(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let users = members_param(&form)?;
    let group_id = params::group_id(&form, "groupId")?;
    let name = params::group_name(&form, "groupName")?;
    let bound = notification::check(&form)?;
    call.admit(1)?;
    join_and_notify(call, &form, group_id, Some(name), &users, bound)
}

/// `/group/join.json`: joining an unknown group creates it.
pub(super) fn join(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let users = members_param(&form)?;
    let group_id = params::group_id(&form, "groupId")?;
    let name = params::optional_text(&form, "groupName")?;
    if let Some(name) = name {
        params::max_chars("groupName", name, params::MAX_GROUP_NAME_CHARS)?;
    }
    let bound = notification::check(&form)?;
    call.admit(1)?;
    join_and_notify(
        call,
        &form,
        group_id,
        name.filter(|n| !n.is_empty()),
        &users,
        bound,
    )
}

/// Joins, then notifies the members (the new ones included).
fn join_and_notify(
    call: &Call<'_>,
    form: &Form<'_>,
    group_id: &str,
    name: Option<&str>,
    users: &[String],
    bound: Option<Bound<'_>>,
) -> Checked<Reply> {
    let (count, members) = {
        let mut groups = lock(&call.app.state.groups);
        let count = groups.join(group_id, name, users)?;
        (count, bound.as_ref().map(|_| groups.members(group_id)))
    };
    let message = bound.map(|b| b.send(call, form, group_id, members.unwrap_or_default()));
    Ok(answer_with(message, count))
}

/// `/group/quit.json`: the notification goes out before the users leave, so
/// they receive it too. Quitting a group one is not in changes nothing.
pub(super) fn quit(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let users = members_param(&form)?;
    let group_id = params::group_id(&form, "groupId")?;
    let bound = notification::check(&form)?;
    call.admit(1)?;
    let message = bound.map(|b| {
        let members = lock(&call.app.state.groups).members(group_id);
        b.send(call, &form, group_id, members)
    });
    let count = lock(&call.app.state.groups).quit(group_id, &users);
    Ok(answer_with(message, count))
}

/// `/group/dismiss.json`: `userId` is the operator (any user, D:group/dismiss-group).
/// The notification goes to the members before the group goes. Dismissing an
/// unknown group answers 200 (nothing to do).
pub(super) fn dismiss(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    params::user_id(&form, "userId")?;
    let group_id = params::group_id(&form, "groupId")?;
    let bound = notification::check(&form)?;
    call.admit(1)?;
    let message = bound.map(|b| {
        let members = lock(&call.app.state.groups).members(group_id);
        b.send(call, &form, group_id, members)
    });
    lock(&call.app.state.groups).dismiss(group_id);
    Ok(answer_with(message, 0))
}

/// `/group/sync.json`: the user's groups become exactly the `group[<id>]=<name>`
/// given; none unbinds the user from every group (D:group/sync-group).
pub(super) fn sync(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let user = params::user_id(&form, "userId")?;
    let mut wanted = Vec::new();
    for (id, name) in params::bracketed(&form, "group")? {
        let param = format!("group[{id}]");
        params::check_group_id(&param, id)?;
        if name.is_empty() {
            return Err(Rejection::invalid(format!(
                "{param}: the group name must not be empty"
            )));
        }
        params::max_chars(&param, name, params::MAX_GROUP_NAME_CHARS)?;
        wanted.push((id.to_owned(), name.to_owned()));
    }
    call.admit(1)?;
    lock(&call.app.state.groups).sync(user, &wanted)?;
    Ok(Reply::new(answer::ok()))
}

/// `/group/refresh.json`: renames the group (only the push-notification name).
/// An unknown group answers 200 and stays unknown.
pub(super) fn refresh(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let group_id = params::group_id(&form, "groupId")?;
    let name = params::group_name(&form, "groupName")?;
    call.admit(1)?;
    lock(&call.app.state.groups).rename(group_id, name);
    Ok(Reply::new(answer::ok()))
}

/// `/group/user/query.json`: `{"code":200,"users":[{"id":..},..]}` in join
/// order (D:group/query-group-member); an unknown group has no users.
pub(super) fn members(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let group_id = params::group_id(&form, "groupId")?;
    call.admit(1)?;
    let members = lock(&call.app.state.groups).members(group_id);
    let users: Vec<_> = members.iter().map(|id| json!({ "id": id })).collect();
    Ok(Reply::new(answer::json(
        &json!({ "code": 200, "users": users }),
    )))
}

/// `/user/group/query.json`: `{"code":200,"groups":[{"id":..,"name":..},..]}`
/// by group id; `page` (from 1) and `size` (1..=1000, default 50) page it,
/// and without `page` the first 5000 are answered.
pub(super) fn of_user(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let user = params::user_id(&form, "userId")?;
    let page = params::optional_int(&form, "page", 1, i64::from(i32::MAX))?;
    let size = params::optional_int(&form, "size", 1, MAX_PAGE_SIZE)?.unwrap_or(DEFAULT_PAGE_SIZE);
    call.admit(1)?;
    let all = lock(&call.app.state.groups).groups_of(user);
    let slice: Vec<&(String, String)> = match page {
        None => all.iter().take(UNPAGED_GROUPS).collect(),
        Some(page) => {
            let size = size as usize;
            let skip = (page as usize - 1).saturating_mul(size);
            all.iter().skip(skip).take(size).collect()
        }
    };
    let groups: Vec<_> = slice
        .iter()
        .map(|(id, name)| json!({ "id": id, "name": name }))
        .collect();
    Ok(Reply::new(answer::json(
        &json!({ "code": 200, "groups": groups }),
    )))
}
