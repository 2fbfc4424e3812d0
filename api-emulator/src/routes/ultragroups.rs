//! Ultra groups: `/ultragroup/create.json`, `join`, `quit`, `dis` and
//! `/message/ultragroup/publish.json` (a JSON body). All need the ultra group
//! service (1009 while it is off). Sources: Dcn:ultragroup/create-ultragroup,
//! Dcn:message/send-ultragroup, Go `sdk/ultragroup.go`.

use serde_json::Value;

use super::outbox::Outgoing;
use super::params::{self, MAX_USER_ID_BYTES};
use super::{Call, Reply};
use crate::answer;
use crate::form::Form;
use crate::ids::next_message_id;
use crate::records::DeliveryKind;
use crate::rejection::{Checked, Rejection};
use crate::rules::fields::{check_content, check_object_name};
use crate::rules::json::{self, Obj};
use crate::rules::{extra_content, push_ext};
use crate::sync::lock;

/// Dcn:message/send-ultragroup and Go `UGMessagePublish`: 1..3 groups.
const MAX_GROUPS: usize = 3;
/// `busChannel`: "≤20 alnum" (API-BREADTH.md §2 #25; Go `UgMessageExtension`:
/// "supports a combination of letters and numbers, up to 20 characters").
const MAX_CHANNEL_CHARS: usize = 20;

fn unknown(param: &str, id: &str) -> Rejection {
    Rejection::invalid(format!(
        "{param}: no ultra group {id:?}; create it with /ultragroup/create.json"
    ))
}

/// `/ultragroup/create.json`: exactly one `userId`, who joins. Creating an
/// existing ultra group adds the user and keeps the name.
pub(super) fn create(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let user = params::user_id(&form, "userId")?;
    let group_id = params::group_id(&form, "groupId")?;
    let name = params::group_name(&form, "groupName")?;
    call.admit(1)?;
    lock(&call.app.state.ultra_groups).create(group_id, name, user);
    Ok(Reply::new(answer::ok()))
}

/// `/ultragroup/join.json`: refused (1002) for a group never created: unlike
/// groups, ultra groups exist only through create.
pub(super) fn join(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let user = params::user_id(&form, "userId")?;
    let group_id = params::group_id(&form, "groupId")?;
    call.admit(1)?;
    if !lock(&call.app.state.ultra_groups).join(group_id, user) {
        return Err(unknown("groupId", group_id));
    }
    Ok(Reply::new(answer::ok()))
}

/// `/ultragroup/quit.json`: quitting an unknown group changes nothing (200).
pub(super) fn quit(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let user = params::user_id(&form, "userId")?;
    let group_id = params::group_id(&form, "groupId")?;
    call.admit(1)?;
    lock(&call.app.state.ultra_groups).quit(group_id, user);
    Ok(Reply::new(answer::ok()))
}

/// `/ultragroup/dis.json`: dissolving an unknown group changes nothing (200).
pub(super) fn dissolve(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let group_id = params::group_id(&form, "groupId")?;
    call.admit(1)?;
    lock(&call.app.state.ultra_groups).dissolve(group_id);
    Ok(Reply::new(answer::ok()))
}

/// A flag the page types `String` ("1" / "0") and the Go SDK sends as a string;
/// the numbers 0 and 1 are accepted too.
fn opt_flag(obj: &Obj, key: &str) -> Checked<()> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) if s == "0" || s == "1" => Ok(()),
        Some(Value::Number(n)) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => Ok(()),
        Some(other) => Err(Rejection::invalid(format!(
            "{key}: must be \"0\" or \"1\", got {other}"
        ))),
    }
}

/// `/message/ultragroup/publish.json`: to 1..=3 existing ultra groups, recorded
/// as one delivery per group to all its members (the page: the sender receives
/// it too). 100 messages a second for the app, a call to N groups counting N,
/// and 20 a second in one channel (one group without `busChannel`).
pub(super) fn publish(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let obj = json::parse_object(body, "body")?;
    let sender = json::req_str(&obj, "", "fromUserId")?;
    params::max_bytes("fromUserId", sender, MAX_USER_ID_BYTES)?;
    let groups = json::opt_str_array(&obj, "", "toGroupIds")?
        .ok_or_else(|| Rejection::invalid("toGroupIds: required"))?;
    if groups.is_empty() || groups.len() > MAX_GROUPS {
        return Err(Rejection::invalid(format!(
            "toGroupIds: 1 to {MAX_GROUPS} ultra groups per call, got {}",
            groups.len()
        )));
    }
    for id in &groups {
        if id.is_empty() {
            return Err(Rejection::invalid("toGroupIds: must not contain empty ids"));
        }
        params::check_group_id("toGroupIds", id)?;
    }
    let object_name = json::req_str(&obj, "", "objectName")?;
    check_object_name("objectName", object_name)?;
    let content = json::req_str(&obj, "", "content")?;
    check_content("content", content)?;
    let channel = json::opt_str(&obj, "", "busChannel")?.filter(|c| !c.is_empty());
    if let Some(channel) = channel {
        params::max_chars("busChannel", channel, MAX_CHANNEL_CHARS)?;
        params::alphanumeric("busChannel", channel)?;
    }
    json::opt_str(&obj, "", "pushContent")?;
    json::opt_str(&obj, "", "pushData")?;
    if let Some(ext) = json::opt_str(&obj, "", "pushExt")?.filter(|e| !e.is_empty()) {
        push_ext::check(ext)?;
    }
    for flag in [
        "isPersisted",
        "isCounted",
        "isMentioned",
        "contentAvailable",
    ] {
        opt_flag(&obj, flag)?;
    }
    json::opt_bool(&obj, "", "expansion")?;
    json::opt_bool(&obj, "", "unreadCountFlag")?;
    if let Some(extra) = json::opt_str(&obj, "", "extraContent")?.filter(|e| !e.is_empty()) {
        extra_content::check(extra)?;
    }
    json::opt_int(&obj, "", "msgRandom")?;

    // Both ultra group limits at once, then the service (see `routes`).
    if call
        .shared
        .rate_limits
        .load(std::sync::atomic::Ordering::Relaxed)
    {
        let keys: Vec<String> = groups
            .iter()
            .map(|g| format!("{g}/{}", channel.unwrap_or("")))
            .collect();
        call.app.limits.try_acquire_ultra_group(call.now, &keys)?;
    }
    if let Some(service) = call.endpoint.spec().service {
        call.require(service)?;
    }
    let mut members = Vec::with_capacity(groups.len());
    {
        let ultra_groups = lock(&call.app.state.ultra_groups);
        for id in &groups {
            members.push(
                ultra_groups
                    .members(id)
                    .ok_or_else(|| unknown("toGroupIds", id))?,
            );
        }
    }

    let mut params_rest = obj.clone();
    for key in [
        "fromUserId",
        "toGroupIds",
        "objectName",
        "content",
        "busChannel",
    ] {
        params_rest.remove(key);
    }
    let mut answered = Vec::with_capacity(groups.len());
    for (group_id, recipients) in groups.iter().zip(members) {
        let id = next_message_id();
        call.deliver(Outgoing {
            sender: Some(sender.to_owned()),
            target_id: Some((*group_id).to_owned()),
            recipients,
            object_name: Some(object_name.to_owned()),
            content: Some(content.to_owned()),
            params: params_rest.clone(),
            message_ids: vec![id.clone()],
            bus_channel: channel.map(str::to_owned),
            ..Outgoing::new(DeliveryKind::UltraGroupMessage)
        });
        answered.push(((*group_id).to_owned(), id));
    }
    Ok(Reply::delivered(answer::publish_to_targets(
        "groupId", &answered,
    )))
}
