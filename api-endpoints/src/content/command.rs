//! Command contents: `RC:CmdMsg` and `RC:CmdNtf`.
//!
//! Both carry an application-defined command `name` and its `data`; clients
//! show nothing for them and there is no push. They differ in storage:
//! `RC:CmdMsg` is neither stored nor counted by clients, `RC:CmdNtf` is
//! stored (but not counted).

use api_core::{Setters, Validate};
use serde::{Deserialize, Serialize};

use super::parts::UserInfo;

/// A command message (`RC:CmdMsg`): a signal to the receiving application,
/// neither shown, stored nor counted by clients, and without push.
///
/// Fields: `name` (the command, defined by the application; required),
/// `data` (its payload, often JSON text; required) and `user`.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::CommandMessage;
///
/// let refresh = CommandMessage::new("refresh_profile", r#"{"userId":"4242"}"#);
/// assert_eq!(refresh.object_name(), "RC:CmdMsg");
/// assert_eq!(
///     refresh.encode_content().unwrap(),
///     r#"{"name":"refresh_profile","data":"{\"userId\":\"4242\"}"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
pub struct CommandMessage {
    /// The command name, defined by the application (`name`).
    #[validate(non_empty)]
    pub name: String,
    /// The command's payload (`data`).
    pub data: String,
    /// Sender information (`user`); the Go SDK sends it, the Java SDK does
    /// not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
}

impl CommandMessage {
    /// The command `name` with its payload `data`.
    pub fn new(name: impl Into<String>, data: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            data: data.into(),
            user: None,
        }
    }
}

built_in_content!(CommandMessage, "RC:CmdMsg");

/// A command notification (`RC:CmdNtf`): like [`CommandMessage`], but
/// stored by clients (not counted, not shown, without push).
///
/// Fields: `name` (the command; required), `data` (its payload; required)
/// and `user`.
///
/// This follows the provider's Java SDK (`CmdNtfMessage.java`: objectName
/// `RC:CmdNtf`, fields `name` and `data`). The Go SDK's `CMDNtf` differs on
/// both counts (objectName `RC:CMDNtf`, the name sent as `operation`),
/// which matches no other source and looks like a mistake there.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::CommandNotification;
///
/// let notice = CommandNotification::new("order_paid", "10086");
/// assert_eq!(notice.object_name(), "RC:CmdNtf");
/// assert_eq!(notice.encode_content().unwrap(), r#"{"name":"order_paid","data":"10086"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
pub struct CommandNotification {
    /// The command name, defined by the application (`name`).
    #[validate(non_empty)]
    pub name: String,
    /// The command's payload (`data`).
    pub data: String,
    /// Sender information (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
}

impl CommandNotification {
    /// The command `name` with its payload `data`.
    pub fn new(name: impl Into<String>, data: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            data: data.into(),
            user: None,
        }
    }
}

built_in_content!(CommandNotification, "RC:CmdNtf");

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use api_core::MessageContent;
    use serde_json::json;

    #[test]
    fn command_message() {
        let command = CommandMessage::new("kick", "");
        assert_eq!(command.object_name(), "RC:CmdMsg");
        assert_eq!(wire(&command), json!({"name": "kick", "data": ""}));
        assert_eq!(
            wire(&command.clone().user(UserInfo::new("u", "n"))),
            json!({"name": "kick", "data": "", "user": {"id": "u", "name": "n"}})
        );
        // A command without payload is fine; one without a name is not.
        assert!(violations(command).is_empty());
        assert_eq!(
            violations(CommandMessage::new("", "x")),
            [required("content.name")]
        );
    }

    #[test]
    fn command_notification() {
        let notice = CommandNotification::new("order_paid", r#"{"id":1}"#);
        assert_eq!(notice.object_name(), "RC:CmdNtf");
        assert_eq!(
            wire(&notice),
            json!({"name": "order_paid", "data": "{\"id\":1}"})
        );
        assert_eq!(
            wire(&notice.clone().user(UserInfo::new("u", "n"))),
            json!({"name": "order_paid", "data": "{\"id\":1}", "user": {"id": "u", "name": "n"}})
        );
        assert!(violations(notice).is_empty());
        assert_eq!(
            violations(CommandNotification::new("", "")),
            [required("content.name")]
        );
    }

    #[test]
    fn special_characters_survive() {
        let json_data = serde_json::to_string(&json!({"text": SPECIAL})).unwrap();
        let command =
            CommandMessage::new(SPECIAL, json_data.as_str()).user(UserInfo::new(SPECIAL, SPECIAL));
        assert_eq!(wire(&command)["data"], json_data.as_str());
        assert_round_trip(&command);
        assert_round_trip(
            &CommandNotification::new(SPECIAL, json_data).user(UserInfo::new(SPECIAL, SPECIAL)),
        );
    }
}
