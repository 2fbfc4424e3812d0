//! Notification contents: `RC:InfoNtf`, `RC:ContactNtf`, `RC:ProfileNtf`
//! and `RC:GrpNtf`.
//!
//! Clients store these but do not count them as unread (message type
//! overview).

use std::fmt;

use api_core::validate::TextValue;
use api_core::{Setters, Validate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::parts::{UserInfo, lenient};

/// A tip notification (`RC:InfoNtf`), the grey bar clients show in the
/// middle of a conversation.
///
/// Fields: `message` (the text; required), `user` and `extra`.
///
/// The server has no push text for it: give the publish call a
/// `pushContent` if offline users should be notified.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::InfoNotification;
///
/// let tip = InfoNotification::new("Beware of scams").extra("");
/// assert_eq!(tip.object_name(), "RC:InfoNtf");
/// assert_eq!(tip.encode_content().unwrap(), r#"{"message":"Beware of scams","extra":""}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
pub struct InfoNotification {
    /// The text of the tip (`message`).
    #[validate(non_empty)]
    pub message: String,
    /// Sender information (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl InfoNotification {
    /// A tip saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            user: None,
            extra: None,
        }
    }
}

built_in_content!(InfoNotification, "RC:InfoNtf");

/// Defines an operation enum written as its name, with the documented names
/// as variants and any other name kept in `Other`.
macro_rules! operation_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$variant_meta:meta])* $variant:ident = $wire:literal,)* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)*
            /// Any other operation, defined by the application.
            Other(String),
        }

        impl $name {
            /// The operation as sent.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Other(name) => name,
                }
            }
        }

        impl From<&str> for $name {
            fn from(name: &str) -> Self {
                match name {
                    $($wire => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(name: String) -> Self {
                match name.as_str() {
                    $($wire => Self::$variant,)*
                    _ => Self::Other(name),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }

        // Lets `#[validate(non_empty)]` refuse an empty `Other` name.
        impl TextValue for $name {
            fn each_text(
                &self,
                report: &mut api_core::Report,
                check: &mut dyn FnMut(&mut api_core::Report, &str),
            ) {
                check(report, self.as_str())
            }
        }
    };
}

operation_enum! {
    /// The `operation` of a contact notification: the three names the
    /// provider defines, or one of the application's.
    ContactOperation {
        /// A friend request (`Request`).
        Request = "Request",
        /// The request was accepted (`AcceptResponse`).
        AcceptResponse = "AcceptResponse",
        /// The request was refused (`RejectResponse`).
        RejectResponse = "RejectResponse",
    }
}

/// A contact (friend) notification (`RC:ContactNtf`).
///
/// Fields: `operation` (what happened; required), `sourceUserId` (the user
/// who acted; required), `targetUserId` (the user acted upon, or the
/// conversation in a group or chat room; required), `message` (the request
/// or answer text, such as the reason; required but may be empty), `user`
/// and `extra`.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::{ContactNotification, ContactOperation};
///
/// let request = ContactNotification::new(ContactOperation::Request, "alice", "bob", "Hi, it's Alice");
/// assert_eq!(request.object_name(), "RC:ContactNtf");
/// assert_eq!(
///     request.encode_content().unwrap(),
///     r#"{"operation":"Request","sourceUserId":"alice","targetUserId":"bob","message":"Hi, it's Alice"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct ContactNotification {
    /// What happened (`operation`).
    #[validate(non_empty)]
    pub operation: ContactOperation,
    /// The user who sent the request or the answer (`sourceUserId`).
    #[validate(non_empty)]
    pub source_user_id: String,
    /// The user who receives it; in a group or chat room, the conversation
    /// (`targetUserId`).
    #[validate(non_empty)]
    pub target_user_id: String,
    /// The request or answer text, such as a reason (`message`).
    pub message: String,
    /// Sender information (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl ContactNotification {
    /// `source_user_id` did `operation` towards `target_user_id`, saying
    /// `message`.
    pub fn new(
        operation: impl Into<ContactOperation>,
        source_user_id: impl Into<String>,
        target_user_id: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            operation: operation.into(),
            source_user_id: source_user_id.into(),
            target_user_id: target_user_id.into(),
            message: message.into(),
            user: None,
            extra: None,
        }
    }
}

built_in_content!(ContactNotification, "RC:ContactNtf");

/// A profile notification (`RC:ProfileNtf`): a user's or group's profile
/// changed.
///
/// Fields: `operation` (what changed, defined by the application;
/// required), `data` (the change, often JSON text; required), `user` and
/// `extra`.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::ProfileNotification;
///
/// let changed = ProfileNotification::new("UpdateName", r#"{"name":"Robin"}"#);
/// assert_eq!(changed.object_name(), "RC:ProfileNtf");
/// # let _ = changed;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
pub struct ProfileNotification {
    /// What changed, defined by the application (`operation`).
    #[validate(non_empty)]
    pub operation: String,
    /// The change (`data`).
    pub data: String,
    /// Sender information (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl ProfileNotification {
    /// The profile change `operation` with its `data`.
    pub fn new(operation: impl Into<String>, data: impl Into<String>) -> Self {
        Self {
            operation: operation.into(),
            data: data.into(),
            user: None,
            extra: None,
        }
    }
}

built_in_content!(ProfileNotification, "RC:ProfileNtf");

operation_enum! {
    /// The `operation` of a group notification: the names the clients
    /// display (from the Android client's `GroupNotificationMessage`), or
    /// one of the application's.
    GroupOperation {
        /// The group was created (`Create`).
        Create = "Create",
        /// Members were added (`Add`).
        Add = "Add",
        /// The group was dismissed (`Dismiss`).
        Dismiss = "Dismiss",
        /// A member left (`Quit`).
        Quit = "Quit",
        /// Members were removed (`Kicked`).
        Kicked = "Kicked",
        /// The group was renamed (`Rename`).
        Rename = "Rename",
        /// The group bulletin changed (`Bulletin`).
        Bulletin = "Bulletin",
    }
}

/// A group notification (`RC:GrpNtf`): members joined or left, the group
/// was renamed, ...
///
/// Fields: `operatorUserId` (who acted; required), `operation` (required),
/// `data` (the details, JSON text; required), `message` (a text to show;
/// required but may be empty), `user` and `extra`.
///
/// `data` is a string holding JSON, as the client SDKs and the Go SDK write
/// it (IMKit reads keys such as `operatorNickname`, `targetUserIds` and
/// `targetUserDisplayNames` from it). The Java server SDK sends an object
/// instead; both forms are accepted when reading, an object being turned
/// back into compact JSON text.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::{GroupNotification, GroupOperation};
///
/// let renamed = GroupNotification::new(
///     "4242",
///     GroupOperation::Rename,
///     r#"{"operatorNickname":"Robin","targetGroupName":"Hikers"}"#,
///     "Robin renamed the group to Hikers",
/// );
/// assert_eq!(renamed.object_name(), "RC:GrpNtf");
/// # let _ = renamed;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct GroupNotification {
    /// The user who acted (`operatorUserId`).
    #[validate(non_empty)]
    pub operator_user_id: String,
    /// What happened (`operation`).
    #[validate(non_empty)]
    pub operation: GroupOperation,
    /// The details, as JSON text (`data`).
    #[serde(deserialize_with = "lenient::string_or_json_text")]
    pub data: String,
    /// A text to show (`message`).
    pub message: String,
    /// Sender information (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl GroupNotification {
    /// `operator_user_id` did `operation`, detailed by `data` (JSON text)
    /// and described by `message`.
    pub fn new(
        operator_user_id: impl Into<String>,
        operation: impl Into<GroupOperation>,
        data: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            operator_user_id: operator_user_id.into(),
            operation: operation.into(),
            data: data.into(),
            message: message.into(),
            user: None,
            extra: None,
        }
    }
}

built_in_content!(GroupNotification, "RC:GrpNtf");

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use api_core::MessageContent;
    use serde_json::json;

    #[test]
    fn info_notification() {
        let tip = InfoNotification::new("Please be mindful of safety");
        assert_eq!(tip.object_name(), "RC:InfoNtf");
        assert_eq!(
            wire(&tip),
            json!({"message": "Please be mindful of safety"})
        );
        assert_eq!(
            wire(&tip.clone().user(UserInfo::new("u", "n")).extra("")),
            json!({"message": "Please be mindful of safety", "user": {"id": "u", "name": "n"}, "extra": ""})
        );
        assert!(violations(tip).is_empty());
        assert_eq!(
            violations(InfoNotification::new("")),
            [required("content.message")]
        );
    }

    #[test]
    fn operations_round_trip_and_keep_unknown_names() {
        for (operation, name) in [
            (ContactOperation::Request, "Request"),
            (ContactOperation::AcceptResponse, "AcceptResponse"),
            (ContactOperation::RejectResponse, "RejectResponse"),
            (ContactOperation::Other("Block".into()), "Block"),
        ] {
            assert_eq!(operation.as_str(), name);
            assert_eq!(ContactOperation::from(name), operation);
            assert_eq!(ContactOperation::from(name.to_owned()), operation);
            assert_eq!(serde_json::to_value(&operation).unwrap(), json!(name));
            assert_eq!(
                serde_json::from_value::<ContactOperation>(json!(name)).unwrap(),
                operation
            );
        }
        for name in [
            "Create", "Add", "Dismiss", "Quit", "Kicked", "Rename", "Bulletin",
        ] {
            let operation = GroupOperation::from(name);
            assert!(!matches!(operation, GroupOperation::Other(_)), "{name}");
            assert_eq!(operation.to_string(), name);
        }
        assert_eq!(
            GroupOperation::from("add"),
            GroupOperation::Other("add".into())
        );
    }

    #[test]
    fn contact_notification() {
        let accepted =
            ContactNotification::new(ContactOperation::AcceptResponse, "bob", "alice", "");
        assert_eq!(accepted.object_name(), "RC:ContactNtf");
        assert_eq!(
            wire(&accepted),
            json!({"operation": "AcceptResponse", "sourceUserId": "bob", "targetUserId": "alice", "message": ""})
        );
        assert_eq!(
            wire(
                &accepted
                    .clone()
                    .user(UserInfo::new("bob", "Bob"))
                    .extra("x")
            ),
            json!({
                "operation": "AcceptResponse",
                "sourceUserId": "bob",
                "targetUserId": "alice",
                "message": "",
                "user": {"id": "bob", "name": "Bob"},
                "extra": "x"
            })
        );
        assert!(violations(accepted).is_empty());
        assert_eq!(
            violations(ContactNotification::new("", "", "", "")),
            [
                required("content.operation"),
                required("content.source_user_id"),
                required("content.target_user_id"),
            ]
        );
    }

    #[test]
    fn profile_notification() {
        let changed = ProfileNotification::new("UpdatePortrait", "https://e.com/p.png");
        assert_eq!(changed.object_name(), "RC:ProfileNtf");
        assert_eq!(
            wire(&changed),
            json!({"operation": "UpdatePortrait", "data": "https://e.com/p.png"})
        );
        assert_eq!(
            wire(&changed.clone().user(UserInfo::new("u", "n")).extra("x")),
            json!({"operation": "UpdatePortrait", "data": "https://e.com/p.png", "user": {"id": "u", "name": "n"}, "extra": "x"})
        );
        assert!(violations(changed).is_empty());
        assert_eq!(
            violations(ProfileNotification::new("", "")),
            [required("content.operation")]
        );
    }

    #[test]
    fn group_notification() {
        let data = r#"{"operatorNickname":"Robin","targetUserIds":["a","b"]}"#;
        let added = GroupNotification::new("4242", GroupOperation::Add, data, "Robin added a, b");
        assert_eq!(added.object_name(), "RC:GrpNtf");
        assert_eq!(
            wire(&added),
            json!({"operatorUserId": "4242", "operation": "Add", "data": data, "message": "Robin added a, b"})
        );
        assert_eq!(
            wire(&added.clone().user(UserInfo::new("u", "n")).extra("x")),
            json!({
                "operatorUserId": "4242",
                "operation": "Add",
                "data": data,
                "message": "Robin added a, b",
                "user": {"id": "u", "name": "n"},
                "extra": "x"
            })
        );
        assert!(violations(added.clone()).is_empty());
        assert_eq!(
            violations(GroupNotification::new("", "", "", "")),
            [
                required("content.operator_user_id"),
                required("content.operation")
            ]
        );

        // What the Java SDK sends: `data` as an object.
        let from_java: GroupNotification = serde_json::from_value(json!({
            "operatorUserId": "4242",
            "operation": "Add",
            "data": {"operatorNickname": "Robin", "targetUserIds": ["a", "b"]},
            "message": "Robin added a, b"
        }))
        .unwrap();
        assert_eq!(from_java, added);
    }

    #[test]
    fn special_characters_survive() {
        assert_round_trip(
            &InfoNotification::new(SPECIAL)
                .user(UserInfo::new(SPECIAL, SPECIAL))
                .extra(SPECIAL),
        );
        assert_round_trip(
            &ContactNotification::new(SPECIAL, SPECIAL, SPECIAL, SPECIAL)
                .user(UserInfo::new(SPECIAL, SPECIAL))
                .extra(SPECIAL),
        );
        assert_round_trip(&ProfileNotification::new(SPECIAL, SPECIAL).extra(SPECIAL));
        let data = serde_json::to_string(&json!({"name": SPECIAL})).unwrap();
        let group = GroupNotification::new(SPECIAL, SPECIAL, data.as_str(), SPECIAL).extra(SPECIAL);
        assert_eq!(wire(&group)["data"], data.as_str());
        assert_round_trip(&group);
    }
}
