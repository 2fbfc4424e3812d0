//! Chatrooms: `/chatroom/create_new.json`, the older `/chatroom/create.json`
//! (still what the provider's SDKs call), `/chatroom/destroy.json` and
//! `/chatroom/query.json`. Creating and destroying rooms posts a chatroom-status
//! callback when one is configured.

use serde_json::{Value, json};

use super::params::{self, MAX_CHATROOM_ID_BYTES, MAX_USER_ID_BYTES};
use super::{Call, Reply};
use crate::answer;
use crate::callbacks::{CHATROOM_CREATED, CHATROOM_DESTROYED, ChatroomStatusEvent};
use crate::form::Form;
use crate::rejection::{Checked, Rejection};
use crate::state::NewChatroom;
use crate::sync::lock;

/// D:chatroom/create: `destroyTime` "minimum of 60 minutes and a maximum of
/// 10080 minutes (7 days). If not set, the default is 60 minutes."
const MIN_DESTROY_MINUTES: i64 = 60;
const MAX_DESTROY_MINUTES: i64 = 10_080;
/// D:chatroom/create: `whiteUserIds` "maximum of 20 users".
const MAX_WHITE_USERS: usize = 20;
/// D:chatroom/deprecated-create: at most 100 rooms a call.
const MAX_ROOMS_PER_CREATE: usize = 100;
/// D:chatroom/deprecated-info: "A single request can query up to 20
/// chatrooms."
const MAX_ROOMS_PER_QUERY: usize = 20;

fn room_id<'f>(form: &'f Form<'_>, name: &str) -> Checked<&'f str> {
    let id = params::required(form, name)?;
    params::max_bytes(name, id, MAX_CHATROOM_ID_BYTES)?;
    Ok(id)
}

fn status_events(ids: &[String], kind: u8, now: u64) -> Vec<ChatroomStatusEvent> {
    ids.iter()
        .map(|id| ChatroomStatusEvent {
            chat_room_id: id.clone(),
            user_ids: Vec::new(),
            status: 0,
            kind,
            time: now,
        })
        .collect()
}

/// `/chatroom/create_new.json`. Creating a room that exists answers 200 and
/// keeps the first settings.
pub(super) fn create_new(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let id = room_id(&form, "chatroomId")?;
    let destroy_type = params::optional_int(&form, "destroyType", 0, 1)?.unwrap_or(0) as u8;
    // The Go SDK sends destroyTime=0 when the caller set none, and the call works
    // against the provider, so 0 reads as "not set".
    let destroy_time = match params::optional_int(&form, "destroyTime", 0, MAX_DESTROY_MINUTES)? {
        None | Some(0) => MIN_DESTROY_MINUTES,
        Some(m) if m < MIN_DESTROY_MINUTES => {
            return Err(Rejection::invalid(format!(
                "destroyTime: must be between {MIN_DESTROY_MINUTES} and {MAX_DESTROY_MINUTES} minutes, got {m}"
            )));
        }
        Some(m) => m,
    };
    let is_ban = params::optional_bool(&form, "isBan")?.unwrap_or(false);
    let white = form.all("whiteUserIds");
    if white.len() > MAX_WHITE_USERS {
        return Err(Rejection::invalid(format!(
            "whiteUserIds: at most {MAX_WHITE_USERS} users, got {}",
            white.len()
        )));
    }
    for user in &white {
        if user.is_empty() {
            return Err(Rejection::invalid("whiteUserIds: must not be empty"));
        }
        params::max_bytes("whiteUserIds", user, MAX_USER_ID_BYTES)?;
    }
    let owner = params::optional_text(&form, "entryOwnerId")?.filter(|o| !o.is_empty());
    let entry_info = match params::optional_text(&form, "entryInfo")?.filter(|e| !e.is_empty()) {
        None => None,
        Some(raw) => match serde_json::from_str::<Value>(raw) {
            Ok(value @ Value::Object(_)) => Some(value),
            _ => {
                return Err(Rejection::invalid(
                    "entryInfo: must be a JSON object of attribute names and values",
                ));
            }
        },
    };
    // The attributes belong to a user: entryInfo without entryOwnerId has no owner.
    if entry_info.is_some() && owner.is_none() {
        return Err(Rejection::invalid("entryOwnerId: required with entryInfo"));
    }
    call.admit(1)?;
    let room = NewChatroom {
        name: String::new(),
        destroy_type,
        destroy_time_minutes: destroy_time as u32,
        is_ban,
        white_user_ids: white.iter().map(|u| u.to_string()).collect(),
        entry_owner_id: owner.map(str::to_owned),
        entry_info,
        created_by: call.endpoint.path(),
    };
    let created = lock(&call.app.state.chatrooms).create(id, room, call.now);
    if created {
        let events = status_events(&[id.to_owned()], CHATROOM_CREATED, call.now);
        call.shared
            .callbacks
            .chatroom_status(call.app.secret(), &events);
    }
    Ok(Reply::new(answer::ok()))
}

/// `/chatroom/create.json`: `chatroom[<id>]=<name>`, 1..=100 rooms, ids of at
/// most 64 bytes of letters and digits (D:chatroom/deprecated-create).
pub(super) fn create(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let rooms = params::bracketed(&form, "chatroom")?;
    if rooms.is_empty() {
        return Err(Rejection::invalid("chatroom[<id>]: required, one per room"));
    }
    if rooms.len() > MAX_ROOMS_PER_CREATE {
        return Err(Rejection::invalid(format!(
            "chatroom[<id>]: at most {MAX_ROOMS_PER_CREATE} rooms per call, got {}",
            rooms.len()
        )));
    }
    for (id, name) in &rooms {
        let param = format!("chatroom[{id}]");
        params::max_bytes(&param, id, MAX_CHATROOM_ID_BYTES)?;
        // The page: "a combination of uppercase and lowercase letters and
        // numbers".
        params::alphanumeric(&param, id)?;
        if name.is_empty() {
            return Err(Rejection::invalid(format!(
                "{param}: the room name must not be empty"
            )));
        }
    }
    call.admit(1)?;
    let mut created = Vec::new();
    {
        let mut chatrooms = lock(&call.app.state.chatrooms);
        for (id, name) in rooms {
            let room = NewChatroom {
                name: name.to_owned(),
                destroy_type: 0,
                destroy_time_minutes: MIN_DESTROY_MINUTES as u32,
                is_ban: false,
                white_user_ids: Vec::new(),
                entry_owner_id: None,
                entry_info: None,
                created_by: call.endpoint.path(),
            };
            if chatrooms.create(id, room, call.now) {
                created.push(id.to_owned());
            }
        }
    }
    let events = status_events(&created, CHATROOM_CREATED, call.now);
    call.shared
        .callbacks
        .chatroom_status(call.app.secret(), &events);
    Ok(Reply::new(answer::ok()))
}

/// `/chatroom/destroy.json`: destroys the rooms named that exist; unknown ones
/// are ignored.
pub(super) fn destroy(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let ids = params::id_list(&form, "chatroomId", usize::MAX, MAX_CHATROOM_ID_BYTES)?;
    call.admit(1)?;
    let destroyed = lock(&call.app.state.chatrooms).destroy(&ids);
    let events = status_events(&destroyed, CHATROOM_DESTROYED, call.now);
    call.shared
        .callbacks
        .chatroom_status(call.app.secret(), &events);
    Ok(Reply::new(answer::ok()))
}

/// `/chatroom/query.json`: `{"code":200,"chatRooms":[{"chrmId":..,"name":..,
/// "time":..}]}` for the rooms that exist, in the order asked (Go
/// `ChatRoomQuery`); at most 20 rooms a call (D:chatroom/deprecated-info).
pub(super) fn query(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let ids = params::id_list(
        &form,
        "chatroomId",
        MAX_ROOMS_PER_QUERY,
        MAX_CHATROOM_ID_BYTES,
    )?;
    call.admit(1)?;
    let chatrooms = lock(&call.app.state.chatrooms);
    let rooms: Vec<_> = ids
        .iter()
        .filter_map(|id| chatrooms.get(id))
        .map(|r| json!({ "chrmId": r.chatroom_id, "name": r.name, "time": r.time }))
        .collect();
    Ok(Reply::new(answer::json(
        &json!({ "code": 200, "chatRooms": rooms }),
    )))
}
