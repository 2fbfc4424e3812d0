//! The text message, `RC:TxtMsg`.

use api_core::{Setters, Validate};
use serde::{Deserialize, Serialize};

use super::parts::{MentionedInfo, UserInfo};

/// A text message (`RC:TxtMsg`), counted as unread and stored by clients.
///
/// Fields: `content` (the text, emoji included; required), `mentionedInfo`
/// (who an @ message in a group mentions), `user` (sender information) and
/// `extra` (free-form data for the application).
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::{MentionedInfo, TextMessage};
///
/// let text = TextMessage::new("hello").extra("helloExtra");
/// assert_eq!(text.encode_content().unwrap(), r#"{"content":"hello","extra":"helloExtra"}"#);
///
/// // An @ message also needs `isMentioned` = 1 on the publish call.
/// let mention = TextMessage::new("@Alice see this").mentioned_info(MentionedInfo::users(["alice"]));
/// # let _ = mention;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct TextMessage {
    /// The text, emoji included (`content`).
    #[validate(non_empty)]
    pub content: String,
    /// Who an @ message mentions (`mentionedInfo`); used in groups, and only
    /// when the publish call sets `isMentioned` to `1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub mentioned_info: Option<MentionedInfo>,
    /// Sender information shown by clients (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl TextMessage {
    /// A text message saying `content`.
    pub fn new(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
            mentioned_info: None,
            user: None,
            extra: None,
        }
    }
}

built_in_content!(TextMessage, "RC:TxtMsg");

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use api_core::{MessageContent, Rule};
    use serde_json::json;

    #[test]
    fn minimal_and_full_json() {
        let text = TextMessage::new("hello");
        assert_eq!(text.object_name(), "RC:TxtMsg");
        assert_eq!(wire(&text), json!({"content": "hello"}));

        let full = TextMessage::new("@张三 Hello world!")
            .mentioned_info(MentionedInfo::users(["zhangsan"]).mentioned_content("有人@你"))
            .user(
                UserInfo::new("4242", "Robin")
                    .portrait("http://example.com/p1.png")
                    .extra("extra"),
            )
            .extra("");
        // The example of the provider's documentation.
        assert_eq!(
            wire(&full),
            json!({
                "content": "@张三 Hello world!",
                "mentionedInfo": {"type": 2, "userIdList": ["zhangsan"], "mentionedContent": "有人@你"},
                "user": {"id": "4242", "name": "Robin", "portrait": "http://example.com/p1.png", "extra": "extra"},
                "extra": ""
            })
        );
        assert_eq!(
            wire(&TextMessage::new("all").mentioned_info(MentionedInfo::all())),
            json!({"content": "all", "mentionedInfo": {"type": 1}})
        );
    }

    #[test]
    fn validation() {
        assert!(
            violations(TextMessage::new("hello").mentioned_info(MentionedInfo::all())).is_empty()
        );
        assert_eq!(
            violations(TextMessage::new("")),
            [required("content.content")]
        );
        assert_eq!(
            violations(TextMessage::new("hi").mentioned_info(MentionedInfo::users(["a", ""]))),
            [required("content.mentioned_info.user_id_list[1]")]
        );
        assert_eq!(
            violations(
                TextMessage::new("hi").mentioned_info(MentionedInfo::users(Vec::<String>::new()))
            ),
            [(
                "content.mentioned_info.user_id_list".to_owned(),
                Rule::MinItems(1)
            )]
        );
    }

    #[test]
    fn special_characters_survive() {
        let text = TextMessage::new(SPECIAL)
            .mentioned_info(MentionedInfo::users([SPECIAL]).mentioned_content(SPECIAL))
            .user(
                UserInfo::new(SPECIAL, SPECIAL)
                    .portrait(SPECIAL)
                    .extra(SPECIAL),
            )
            .extra(SPECIAL);
        assert_eq!(wire(&text)["content"], SPECIAL);
        assert_eq!(wire(&text)["user"]["name"], SPECIAL);
        assert_round_trip(&text);
    }
}
