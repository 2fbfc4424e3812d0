//! `POST /_emulator/online-status`: plays clients connecting and disconnecting.
//! The events change what `/user/checkOnline.json` answers and are posted, as
//! one JSON array, to the user-status callback URL when one is configured.

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::Full;
use serde_json::{Value, json};

use super::{error, json};
use crate::answer;
use crate::callbacks::OnlineStatusEvent;
use crate::ids;
use crate::shared::{App, Shared};
use crate::sync::lock;

/// Most events one call takes.
const MAX_EVENTS: usize = 1000;

pub(super) fn answer(shared: &Shared, app: &App, body: &[u8]) -> Response<Full<Bytes>> {
    let events: Vec<OnlineStatusEvent> = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => match items
            .into_iter()
            .map(serde_json::from_value)
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(events) => events,
            Err(e) => return error(StatusCode::BAD_REQUEST, &format!("events: {e}")),
        },
        Ok(object @ Value::Object(_)) => match serde_json::from_value(object) {
            Ok(event) => vec![event],
            Err(e) => return error(StatusCode::BAD_REQUEST, &format!("event: {e}")),
        },
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "body: a JSON array of {\"userid\",\"status\",...} events",
            );
        }
    };
    if events.len() > MAX_EVENTS {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("events: at most {MAX_EVENTS} per call"),
        );
    }
    match apply_online_events(shared, app, events) {
        Ok((count, posted)) => json(
            StatusCode::OK,
            answer::json(&json!({ "code": 200, "events": count, "posted": posted })),
        ),
        Err(message) => error(StatusCode::BAD_REQUEST, &message),
    }
}

/// Checks and applies the events, then queues them for the user-status
/// callback. Answers how many there were and whether they were queued.
pub(crate) fn apply_online_events(
    shared: &Shared,
    app: &App,
    mut events: Vec<OnlineStatusEvent>,
) -> Result<(usize, bool), String> {
    for (i, event) in events.iter().enumerate() {
        if event.userid.is_empty() {
            return Err(format!("events[{i}].userid: required"));
        }
        if !matches!(event.status.as_str(), "0" | "1" | "2") {
            return Err(format!(
                "events[{i}].status: \"0\" online, \"1\" offline or \"2\" logout, got {:?}",
                event.status
            ));
        }
    }
    let now = shared.clock.now_millis();
    {
        let mut users = lock(&app.state.users);
        for event in &mut events {
            if event.time == 0 {
                event.time = now;
            }
            let online = event.status == "0";
            if event.session_id.is_empty() {
                if online {
                    event.session_id = ids::session_id();
                } else {
                    // An offline event naming no session ends them all.
                    users.end_sessions(&event.userid);
                    continue;
                }
            }
            users.set_session(&event.userid, &event.session_id, online);
        }
    }
    let posted = shared.callbacks.user_status(app.secret(), &events);
    Ok((events.len(), posted))
}
