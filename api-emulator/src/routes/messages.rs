//! Sending: the calls of pages 000-004 (private, system, online broadcast,
//! `/push.json`), `/message/group/publish.json` and
//! `/message/chatroom/publish.json`.

use bytes::Bytes;

use super::outbox::Outgoing;
use super::params::{self, MAX_CHATROOM_ID_BYTES, MAX_USER_ID_BYTES};
use super::{Call, Reply};
use crate::answer;
use crate::form::Form;
use crate::ids::next_message_id;
use crate::records::DeliveryKind;
use crate::rejection::{Checked, Rejection};
use crate::rules::{self, Accepted, MessageRequest, PushAudience, extra_content, push_ext};
use crate::sync::lock;

/// D:message/send-group: "支持最多 3 个群组 ID".
const MAX_GROUPS: usize = 3;

/// Private, system, online broadcast and `/push.json`.
pub(super) fn legacy(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let Accepted::Message(message) = rules::check(call.endpoint, body)? else {
        unreachable!("message endpoints answer messages");
    };
    call.take_quota(message.weight)?;
    if let Some(service) = message.kind.service() {
        call.require(service)?;
    }
    Ok(Reply::delivered(commit(call, message)))
}

/// Assigns message ids, records the delivery and builds the success answer.
fn commit(call: &Call<'_>, message: MessageRequest) -> Bytes {
    let recipients = match &message.push_audience {
        Some(audience) if message.recipients.is_empty() => resolve_audience(call, audience),
        _ => message.recipients,
    };
    let (message_ids, body) = match message.kind {
        DeliveryKind::PrivateMessage | DeliveryKind::SystemMessage => {
            let ids: Vec<String> = recipients.iter().map(|_| next_message_id()).collect();
            let body = answer::publish(&recipients, &ids);
            (ids, body)
        }
        DeliveryKind::OnlineBroadcast => {
            let id = next_message_id();
            let body = answer::online_broadcast(&id);
            (vec![id], body)
        }
        _ => {
            let id = next_message_id();
            let body = answer::push(&id);
            (vec![id], body)
        }
    };
    call.deliver(Outgoing {
        sender: message.sender,
        recipients,
        audience: message.audience,
        object_name: message.object_name,
        content: message.content,
        params: message.params,
        message_ids,
        ..Outgoing::new(message.kind)
    });
    body
}

/// The users a tag or `is_to_all` audience reaches among those tagged through this
/// emulator. A package-name condition cannot be resolved: the emulator does not know
/// which package a user installed, so such audiences reach nobody it can name.
fn resolve_audience(call: &Call<'_>, audience: &PushAudience) -> Vec<String> {
    let records = &call.shared.records;
    let key = &call.app.key;
    if audience.is_to_all {
        return records.users_with_tags(key, |_| true);
    }
    if audience.package_name.is_some() || (audience.tag.is_empty() && audience.tag_or.is_empty()) {
        return Vec::new();
    }
    records.users_with_tags(key, |tags| {
        // 003: tag is AND, tag_or is OR, and both may be combined.
        audience.tag.iter().all(|t| tags.contains(t))
            && (audience.tag_or.is_empty() || audience.tag_or.iter().any(|t| tags.contains(t)))
    })
}

/// Checks what every publish form has: sender, `objectName`, `content`, the
/// push texts and the 0/1 flags. Answers (sender, objectName, content).
fn message_fields<'f>(form: &'f Form<'_>) -> Checked<(&'f str, &'f str, &'f str)> {
    let sender = params::user_id(form, "fromUserId")?;
    let object_name = params::required(form, "objectName")?;
    params::check_object_name("objectName", object_name)?;
    let content = params::required(form, "content")?;
    params::check_content("content", content)?;
    params::optional_text(form, "pushContent")?;
    params::optional_text(form, "pushData")?;
    // Java `MessageModel.msgRandom`: a Long.
    params::optional_int(form, "msgRandom", i64::MIN, i64::MAX)?;
    Ok((sender, object_name, content))
}

/// `/message/group/publish.json` (D:message/send-group): to at most 3 groups, or
/// targeted (`toUserId`) within exactly one. Recorded as one delivery per group
/// to its members (the sender only with `isIncludeSender=1`); a targeted message
/// reaches only the named users who are members. 20 messages a second, a call to
/// N groups counting N.
pub(super) fn group(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let (sender, object_name, content) = message_fields(&form)?;
    let groups = params::id_list(&form, "toGroupId", MAX_GROUPS, usize::MAX)?;
    for id in &groups {
        params::check_group_id("toGroupId", id)?;
    }
    let targeted = form.all("toUserId");
    if !targeted.is_empty() {
        if groups.len() != 1 {
            return Err(Rejection::invalid(format!(
                "toUserId: a targeted message goes to exactly one group, got {} toGroupId",
                groups.len()
            )));
        }
        for id in &targeted {
            if id.is_empty() {
                return Err(Rejection::invalid("toUserId: must not be empty"));
            }
            params::max_bytes("toUserId", id, MAX_USER_ID_BYTES)?;
        }
    }
    for flag in [
        "isPersisted",
        "isIncludeSender",
        "isMentioned",
        "contentAvailable",
        "isCounted",
        "verifyBlacklist",
        "needReadReceipt",
    ] {
        params::optional_flag(&form, flag)?;
    }
    let include_sender = params::optional_flag(&form, "isIncludeSender")? == Some(true);
    let expansion = params::optional_bool(&form, "expansion")?;
    let disable_push = params::optional_bool(&form, "disablePush")?;
    params::optional_bool(&form, "disableUpdateLastMsg")?;
    let extra = params::optional_text(&form, "extraContent")?.filter(|e| !e.is_empty());
    if let Some(extra) = extra {
        extra_content::check(extra)?;
    }
    let push_ext = params::optional_text(&form, "pushExt")?.filter(|e| !e.is_empty());
    if let Some(ext) = push_ext {
        push_ext::check(ext)?;
    }
    params::optional_text(&form, "busChannel")?;
    // D:message/send-group: "发送群聊定向消息时 ... 不支持 expansion、extraContent、
    // disablePush、pushExt 字段". The Go SDK always sends expansion=false and
    // disablePush=false, so only a value that would take effect is refused.
    if !targeted.is_empty() {
        let unsupported = [
            ("expansion", expansion == Some(true)),
            ("extraContent", extra.is_some()),
            ("disablePush", disable_push == Some(true)),
            ("pushExt", push_ext.is_some()),
        ];
        if let Some((name, _)) = unsupported.iter().find(|(_, set)| *set) {
            return Err(Rejection::invalid(format!(
                "{name}: not supported on a targeted group message (toUserId)"
            )));
        }
    }

    call.admit(groups.len() as u64)?;

    let surfaced = ["fromUserId", "toGroupId", "objectName", "content"];
    let mut answered = Vec::with_capacity(groups.len());
    for group_id in groups {
        let members = lock(&call.app.state.groups).members(&group_id);
        let mut recipients: Vec<String> = if targeted.is_empty() {
            members.into_iter().filter(|m| m != sender).collect()
        } else {
            targeted
                .iter()
                .filter(|u| **u != sender && members.iter().any(|m| m == *u))
                .map(|u| u.to_string())
                .collect()
        };
        if include_sender {
            recipients.push(sender.to_owned());
        }
        let id = next_message_id();
        call.deliver(Outgoing {
            sender: Some(sender.to_owned()),
            target_id: Some(group_id.clone()),
            recipients,
            object_name: Some(object_name.to_owned()),
            content: Some(content.to_owned()),
            params: form.rest(&surfaced),
            message_ids: vec![id.clone()],
            targeted: targeted.iter().map(|u| u.to_string()).collect(),
            ..Outgoing::new(DeliveryKind::GroupMessage)
        });
        answered.push((group_id, id));
    }
    Ok(Reply::delivered(answer::publish_to_targets(
        "groupId", &answered,
    )))
}

/// `/message/chatroom/publish.json` (D:message/send-chatroom): recorded as one
/// delivery per room. The emulator does not see who is in a room (members join
/// on their clients), so the deliveries name no recipients except the sender
/// with `isIncludeSender=1`, and a room need not have been created through the
/// API (the provider's clients create rooms by joining them). 100 messages a
/// second, a call to N rooms counting N (the page recommends at most 10 rooms
/// a call; more are not refused, they only use the quota).
pub(super) fn chatroom(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let (sender, object_name, content) = message_fields(&form)?;
    let rooms = params::id_list(&form, "toChatroomId", usize::MAX, MAX_CHATROOM_ID_BYTES)?;
    params::optional_flag(&form, "isPersisted")?;
    let include_sender = params::optional_flag(&form, "isIncludeSender")? == Some(true);
    // Java `Chatroom.java`: priority is an Int.
    params::optional_int(&form, "priority", i64::from(i32::MIN), i64::from(i32::MAX))?;

    call.admit(rooms.len() as u64)?;

    let surfaced = ["fromUserId", "toChatroomId", "objectName", "content"];
    let mut answered = Vec::with_capacity(rooms.len());
    for room in rooms {
        let id = next_message_id();
        call.deliver(Outgoing {
            sender: Some(sender.to_owned()),
            target_id: Some(room.clone()),
            recipients: if include_sender {
                vec![sender.to_owned()]
            } else {
                Vec::new()
            },
            object_name: Some(object_name.to_owned()),
            content: Some(content.to_owned()),
            params: form.rest(&surfaced),
            message_ids: vec![id.clone()],
            ..Outgoing::new(DeliveryKind::ChatroomMessage)
        });
        answered.push((room, id));
    }
    Ok(Reply::delivered(answer::publish_to_targets(
        "chatroomId",
        &answered,
    )))
}
