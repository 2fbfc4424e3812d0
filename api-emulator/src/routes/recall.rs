//! `/message/recall.json` (D:message/msgrecall): recalls a message the emulator
//! recorded, checking that the call names it the way it was sent.
//!
//! A `messageUID` the emulator never answered (or has forgotten, past the record
//! limit) is refused with 1002: the provider's behaviour is not documented, and
//! a recall that silently does nothing would hide a client bug. Recalling the
//! same message twice is accepted twice (a recall is a command message of its
//! own; the provider sends one each time).

use super::params::{self, MAX_USER_ID_BYTES};
use super::{Call, Reply};
use crate::answer;
use crate::form::Form;
use crate::records::DeliveryKind;
use crate::rejection::{Checked, Rejection};
use crate::state::RecallRecord;
use crate::sync::lock;

/// The recorded facts about one message id.
struct Sent {
    kind: DeliveryKind,
    sender: Option<String>,
    /// The recipient (private, system) or the group, room or ultra group.
    target: Option<String>,
    bus_channel: Option<String>,
}

fn find(call: &Call<'_>, uid: &str) -> Option<Sent> {
    let key = &call.app.key;
    call.shared.records.scan(|deliveries| {
        deliveries.filter(|d| d.app_key == *key).find_map(|d| {
            let i = d.message_ids.iter().position(|id| id == uid)?;
            let target = match &d.target_id {
                Some(t) => Some(t.clone()),
                None => d.recipients.get(i).cloned(),
            };
            Some(Sent {
                kind: d.kind,
                sender: d.sender.clone(),
                target,
                bus_channel: d.bus_channel.clone(),
            })
        })
    })
}

pub(super) fn recall(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let from = params::user_id(&form, "fromUserId")?;
    let conversation = params::required(&form, "conversationType")?;
    let conversation: u8 = match conversation {
        "1" => 1,
        "3" => 3,
        "4" => 4,
        "6" => 6,
        "10" => 10,
        other => {
            return Err(Rejection::invalid(format!(
                "conversationType: must be 1, 3, 4, 6 or 10, got {other:?}"
            )));
        }
    };
    let target = params::required(&form, "targetId")?;
    params::max_bytes("targetId", target, MAX_USER_ID_BYTES)?;
    let uid = params::required(&form, "messageUID")?;
    params::optional_int(&form, "sentTime", 0, i64::MAX)?;
    let channel = params::optional_text(&form, "busChannel")?.filter(|c| !c.is_empty());
    let is_admin = params::optional_flag(&form, "isAdmin")? == Some(true);
    let is_delete = params::optional_flag(&form, "isDelete")? == Some(true);
    params::optional_bool(&form, "disablePush")?;
    params::optional_bool(&form, "disableUpdateLastMsg")?;
    params::optional_text(&form, "extra")?;
    call.admit(1)?;

    let sent = find(call, uid).ok_or_else(|| {
        Rejection::invalid(format!(
            "messageUID: no message {uid:?} was sent through this emulator (or it is past the record limit)"
        ))
    })?;
    let sent_conversation = sent.kind.conversation_type().unwrap_or(0);
    if sent_conversation != conversation {
        return Err(Rejection::invalid(format!(
            "conversationType: message {uid} was sent with conversationType {sent_conversation}, not {conversation}"
        )));
    }
    if let Some(sent_target) = &sent.target
        && sent_target != target
    {
        return Err(Rejection::invalid(format!(
            "targetId: message {uid} went to {sent_target:?}, not {target:?}"
        )));
    }
    if !is_admin && sent.sender.as_deref() != Some(from) {
        return Err(Rejection::invalid(format!(
            "fromUserId: message {uid} was sent by {:?}; only the sender (or isAdmin=1) recalls it",
            sent.sender.unwrap_or_default()
        )));
    }
    // D:message/msgrecall: with a channel at send time the recall must name it,
    // and without one it must not.
    if sent.bus_channel.as_deref() != channel {
        return Err(Rejection::invalid(format!(
            "busChannel: message {uid} was sent with busChannel {:?}, the recall names {:?}",
            sent.bus_channel.unwrap_or_default(),
            channel.unwrap_or_default()
        )));
    }
    lock(&call.app.state.recalls).push(RecallRecord {
        message_uid: uid.to_owned(),
        from_user_id: from.to_owned(),
        conversation_type: conversation,
        target_id: target.to_owned(),
        bus_channel: channel.map(str::to_owned),
        is_admin,
        is_delete,
        at_millis: call.now,
    });
    Ok(Reply::new(answer::ok()))
}
