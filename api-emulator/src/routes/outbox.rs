//! What happens to every message a call accepts: the app's sensitive words
//! (conversation messages only: private, system, group, chatroom, ultra group),
//! the delivery record, and the message-routing callback.

use serde_json::{Map, Value};

use super::Call;
use crate::callbacks::RoutedMessage;
use crate::records::{Delivery, DeliveryKind, Sensitive};

/// A message ready to be recorded.
#[derive(Debug)]
pub(super) struct Outgoing {
    pub kind: DeliveryKind,
    pub sender: Option<String>,
    pub target_id: Option<String>,
    pub recipients: Vec<String>,
    pub audience: Option<Value>,
    pub object_name: Option<String>,
    pub content: Option<String>,
    pub params: Map<String, Value>,
    /// One per recipient for private and system messages, one otherwise.
    pub message_ids: Vec<String>,
    pub bus_channel: Option<String>,
    /// The targeted members of a targeted group message (`groupUserIds`).
    pub targeted: Vec<String>,
}

impl Outgoing {
    /// A message of `kind` with no recipients, ids or extras yet.
    pub fn new(kind: DeliveryKind) -> Self {
        Self {
            kind,
            sender: None,
            target_id: None,
            recipients: Vec::new(),
            audience: None,
            object_name: None,
            content: None,
            params: Map::new(),
            message_ids: Vec::new(),
            bus_channel: None,
            targeted: Vec::new(),
        }
    }
}

/// The routing callback's `channelType` of a kind of message.
fn channel_type(kind: DeliveryKind) -> Option<&'static str> {
    match kind {
        DeliveryKind::PrivateMessage => Some("PERSON"),
        DeliveryKind::GroupMessage | DeliveryKind::GroupNotification => Some("GROUP"),
        DeliveryKind::ChatroomMessage => Some("TEMPGROUP"),
        DeliveryKind::SystemMessage => Some("NOTIFY"),
        DeliveryKind::UltraGroupMessage => Some("ULTRAGROUP"),
        _ => None,
    }
}

impl Call<'_> {
    /// Applies sensitive words, records the delivery and queues its routing
    /// callbacks. Answers what the words did.
    pub(super) fn deliver(&self, mut out: Outgoing) -> Sensitive {
        let channel = channel_type(out.kind);
        let mut sensitive = Sensitive::None;
        if channel.is_some()
            && let Some(content) = &out.content
        {
            let (verdict, replaced) = self.app.state.words.apply(content);
            sensitive = verdict;
            if let Some(replaced) = replaced {
                out.content = Some(replaced);
            }
        }
        if sensitive == Sensitive::Blocked {
            // Answered as accepted, delivered to nobody, not routed.
            out.recipients.clear();
        }
        if let Some(channel_type) = channel
            && sensitive != Sensitive::Blocked
            && self.shared.callbacks.routes_messages()
        {
            self.route(&out, channel_type, sensitive);
        }
        let records = &self.shared.records;
        records.push_delivery(Delivery {
            seq: records.next_delivery_seq(),
            kind: out.kind,
            path: self.endpoint.path().to_owned(),
            app_key: self.app.key.clone(),
            host: self.host,
            sender: out.sender,
            target_id: out.target_id,
            recipients: out.recipients,
            audience: out.audience,
            object_name: out.object_name,
            content: out.content,
            bus_channel: out.bus_channel,
            sensitive,
            params: out.params,
            message_ids: out.message_ids,
            request_id: self.request_id.map(str::to_owned),
            at_millis: self.now,
        });
        sensitive
    }

    /// One callback per recipient for private and system messages (each has its
    /// own id), one per group, room or ultra group otherwise.
    fn route(&self, out: &Outgoing, channel_type: &'static str, sensitive: Sensitive) {
        let base = RoutedMessage {
            from_user_id: out.sender.clone().unwrap_or_default(),
            to_user_id: String::new(),
            object_name: out.object_name.clone().unwrap_or_default(),
            content: out.content.clone().unwrap_or_default(),
            channel_type,
            msg_timestamp: self.now,
            msg_uid: String::new(),
            sensitive_type: sensitive.callback_value(),
            bus_channel: out.bus_channel.clone(),
            group_user_ids: out.targeted.clone(),
        };
        let secret = self.app.secret();
        match &out.target_id {
            Some(target) => {
                let message = RoutedMessage {
                    to_user_id: target.clone(),
                    msg_uid: out.message_ids.first().cloned().unwrap_or_default(),
                    ..base
                };
                self.shared.callbacks.route(secret, &message);
            }
            None => {
                for (user, id) in out.recipients.iter().zip(&out.message_ids) {
                    let message = RoutedMessage {
                        to_user_id: user.clone(),
                        msg_uid: id.clone(),
                        ..base.clone()
                    };
                    self.shared.callbacks.route(secret, &message);
                }
            }
        }
    }
}
