//! Typed contents of the provider's built-in message types (`RC:TxtMsg`,
//! `RC:ImgMsg`, ...), to send with any publish endpoint through
//! [`api_core::Message`].
//!
//! Each type is a struct whose fields serialize to the documented JSON field
//! names; optional fields are left out when `None`. The JSON text becomes
//! the string value of the `content` wire field, next to `objectName`:
//!
//! ```
//! use api_core::{Message, MessageContent, Validate};
//! use api_endpoints::content::TextMessage;
//!
//! let text = TextMessage::new("hello").extra("helloExtra");
//! assert_eq!(text.object_name(), "RC:TxtMsg");
//! assert_eq!(text.encode_content().unwrap(), r#"{"content":"hello","extra":"helloExtra"}"#);
//! assert!(Message::new(text).validate().is_ok());
//! ```
//!
//! | `objectName` | type | module |
//! |---|---|---|
//! | `RC:TxtMsg` | [`TextMessage`] | `text` |
//! | `RC:ImgMsg` | [`ImageMessage`] | `image` |
//! | `RC:GIFMsg` | [`GifMessage`] | `image` |
//! | `RC:ImgTextMsg` | [`ImageTextMessage`] | `image` |
//! | `RC:FileMsg` | [`FileMessage`] | `file` |
//! | `RC:HQVCMsg` | [`VoiceMessage`] | `media` |
//! | `RC:SightMsg` | [`SightMessage`] | `media` |
//! | `RC:LBSMsg` | [`LocationMessage`] | `location` |
//! | `RC:InfoNtf` | [`InfoNotification`] | `notification` |
//! | `RC:ContactNtf` | [`ContactNotification`] | `notification` |
//! | `RC:ProfileNtf` | [`ProfileNotification`] | `notification` |
//! | `RC:GrpNtf` | [`GroupNotification`] | `notification` |
//! | `RC:CmdMsg` | [`CommandMessage`] | `command` |
//! | `RC:CmdNtf` | [`CommandNotification`] | `command` |
//!
//! Shared parts: [`UserInfo`] (`user`) and [`MentionedInfo`]
//! (`mentionedInfo`), in `parts`.
//!
//! # Validation
//!
//! [`api_core::Message`] checks `objectName` and the 128 KiB limit of the
//! whole `content`; each type here adds the rules of its own fields, reported
//! under `content.` and the Rust field name (`content.image_uri`,
//! `content.mentioned_info.user_id_list[2]`), because those fields live
//! inside the `content` wire field. The rules are:
//!
//! - documented limits (`RC:HQVCMsg` lasts at most 60 seconds);
//! - required texts that mean nothing when empty (ids, URLs, names,
//!   command names, the text of a text or info message) are not empty;
//! - latitude and longitude are finite, since JSON has no NaN or infinity
//!   (`serde_json` would write `null`).
//!
//! Sizes the provider only recommends (thumbnails of a few tens of KB) are
//! documented on the fields, not enforced: the sources disagree on them
//! (10 KB, 30 KB and 80 KB appear) and none is given as a server-side
//! check; only the 128 KiB total is.
//!
//! # Sources
//!
//! Field names, types and required flags come from:
//!
//! - the provider's content-message format page,
//!   <https://docs.rongcloud.io/platform-chat-api/message-about/objectname>
//!   (Chinese: <https://docs.rongcloud.cn/platform-chat-api/message-about/objectname>):
//!   the `RC:TxtMsg` table with `mentionedInfo` and `user`;
//! - the provider's notification-message format page,
//!   <https://docs.rongcloud.io/platform-chat-api/message-about/objectname-notification>:
//!   `RC:InfoNtf`;
//! - the message type overview (消息类型概述),
//!   <https://docs.rongcloud.cn/v4-platform/views/im/server/message/objectname.html>:
//!   the list of built-in types and which are counted and stored;
//! - `rongcloud/server-sdk-go`, `rongcloud/rcmsg.go`: every type above except
//!   `RC:GIFMsg`, `RC:SightMsg` and `RC:CmdNtf`, with comments copied from
//!   the documentation (required flags, the 60-second voice limit);
//! - `rongcloud/server-sdk-java`, `src/main/java/io/rong/messages/*.java`
//!   (`TxtMessage`, `ImgMessage`, `ImgTextMessage`, `FileMessage`,
//!   `LBSMessage`, `HQVoiceMessage`, `GifMessage`, `SightMessage`,
//!   `InfoNtfMessage`, `ContactNtfMessage`, `ProfileNtfMessage`,
//!   `GroupNotificationMessage`, `CmdMsgMessage`, `CmdNtfMessage`,
//!   `UserInfo`) and `src/main/java/io/rong/models/message/MentionedInfo.java`;
//! - the Web SDK's message-structure table (Markdown in a public repository
//!   the code index did not name) for `RC:FileMsg` (`type` is the file
//!   extension without the dot, `size` a number of bytes) and `RC:LBSMsg`;
//! - the provider's help-centre answer on image thumbnails,
//!   <http://help.rongcloud.io/t/web-send-image-message-mobile-client-can-t-display/203>
//!   (Base64 JPEG without prefix, under 80 KB);
//! - the Android client's `io.rong.message.GroupNotificationMessage`
//!   (decompiled in public repositories) for the `RC:GrpNtf` operations and
//!   `data` as a string.
//!
//! Where the sources disagree, the type's documentation says which one it
//! follows.
//!
//! Not here: `RC:VcMsg` (the old AMR voice message, replaced by
//! `RC:HQVCMsg`), `RC:RcCmd` (recalls go through the recall endpoint, not a
//! publish call), `RC:ReferenceMsg` and `RC:CombineMsg` (their nested
//! structures are not documented in the sources above), and status and
//! signalling types that the SDKs send themselves.

use std::borrow::Cow;

use api_core::EncodeError;
use serde::Serialize;

/// Implements [`api_core::MessageContent`] for a built-in content type that
/// derives `Serialize` and [`api_core::Validate`], and gives it an
/// `OBJECT_NAME` constant.
macro_rules! built_in_content {
    ($ty:ident, $object_name:literal) => {
        impl $ty {
            #[doc = concat!("The `objectName` of this content: `", $object_name, "`.")]
            pub const OBJECT_NAME: &'static str = $object_name;
        }

        impl ::api_core::MessageContent for $ty {
            fn object_name(&self) -> &str {
                Self::OBJECT_NAME
            }

            fn encode_content(
                &self,
            ) -> ::std::result::Result<::std::borrow::Cow<'_, str>, ::api_core::EncodeError> {
                super::encode_json(self)
            }

            fn validate_content(&self, report: &mut ::api_core::Report) {
                // The fields live inside the `content` wire field.
                report.field("content", |report| {
                    ::api_core::Validate::validate_into(self, report)
                });
            }
        }
    };
}

mod command;
mod file;
mod image;
mod location;
mod media;
mod notification;
mod parts;
mod text;

pub use command::{CommandMessage, CommandNotification};
pub use file::FileMessage;
pub use image::{GifMessage, ImageMessage, ImageTextMessage};
pub use location::LocationMessage;
pub use media::{SightMessage, VoiceMessage};
pub use notification::{
    ContactNotification, ContactOperation, GroupNotification, GroupOperation, InfoNotification,
    ProfileNotification,
};
pub use parts::{MentionTarget, MentionedInfo, UserInfo};
pub use text::TextMessage;

/// The content as compact JSON, the form the server and the clients expect.
fn encode_json<T: Serialize + ?Sized>(value: &T) -> Result<Cow<'static, str>, EncodeError> {
    serde_json::to_string(value)
        .map(Cow::Owned)
        .map_err(|error| EncodeError::new("content", error))
}

/// Helpers shared by the tests of every content type.
#[cfg(test)]
mod testing {
    use std::fmt::Debug;

    use api_core::{Message, MessageContent, Rule, Validate};
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    /// Text with every character that a form or JSON encoder could get
    /// wrong: quotes, `&`, `=`, `+`, `%`, a backslash, a newline, a tab, CJK
    /// and an emoji outside the BMP.
    pub const SPECIAL: &str = "say \"hi\" & a=b+c 100% \\ end\nnext\tline 中文 😀";

    /// The content as the JSON value the server receives.
    pub fn wire<C: MessageContent>(content: &C) -> Value {
        let text = content.encode_content().expect("the content encodes");
        serde_json::from_str(&text).expect("the content is JSON")
    }

    /// Sends `content` through a JSON body (`content` is then a string
    /// inside a JSON object, so it is escaped twice), reads it back and
    /// checks that nothing changed.
    pub fn assert_round_trip<C>(content: &C)
    where
        C: MessageContent + DeserializeOwned + PartialEq + Debug + Clone,
    {
        let body = serde_json::to_string(&Message::new(content.clone())).unwrap();
        let outer: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(outer["objectName"], content.object_name());
        let inner = outer["content"].as_str().expect("content is a string");
        let back: C = serde_json::from_str(inner).unwrap();
        assert_eq!(&back, content);
    }

    /// The path and rule of every violation of the message carrying
    /// `content`.
    pub fn violations<C: MessageContent>(content: C) -> Vec<(String, Rule)> {
        match Message::new(content).validate() {
            Ok(()) => Vec::new(),
            Err(error) => error
                .violations()
                .iter()
                .map(|v| (v.path().to_owned(), v.rule().clone()))
                .collect(),
        }
    }

    /// `(path, Rule::Required)`, the violation of an empty required text.
    pub fn required(path: &str) -> (String, Rule) {
        (path.to_owned(), Rule::Required)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use api_core::{MAX_CONTENT_BYTES, Rule};

    #[test]
    fn the_whole_content_limit_still_applies() {
        // The JSON around the text: braces, the key and the quotes.
        let overhead = r#"{"content":""}"#.len();
        let fits = TextMessage::new("x".repeat(MAX_CONTENT_BYTES - overhead));
        assert!(violations(fits).is_empty());
        let too_big = TextMessage::new("x".repeat(MAX_CONTENT_BYTES - overhead + 1));
        assert_eq!(
            violations(too_big),
            [("content".to_owned(), Rule::MaxBytes(MAX_CONTENT_BYTES))]
        );
    }

    #[test]
    fn special_characters_are_escaped_once_and_unicode_is_kept() {
        let text = TextMessage::new(SPECIAL);
        let encoded = api_core::MessageContent::encode_content(&text).unwrap();
        assert_eq!(
            encoded,
            r#"{"content":"say \"hi\" & a=b+c 100% \\ end\nnext\tline 中文 😀"}"#
        );
        assert_round_trip(&text);
    }

    #[test]
    fn object_names_are_the_documented_ones() {
        let names = [
            TextMessage::OBJECT_NAME,
            ImageMessage::OBJECT_NAME,
            GifMessage::OBJECT_NAME,
            ImageTextMessage::OBJECT_NAME,
            FileMessage::OBJECT_NAME,
            VoiceMessage::OBJECT_NAME,
            SightMessage::OBJECT_NAME,
            LocationMessage::OBJECT_NAME,
            InfoNotification::OBJECT_NAME,
            ContactNotification::OBJECT_NAME,
            ProfileNotification::OBJECT_NAME,
            GroupNotification::OBJECT_NAME,
            CommandMessage::OBJECT_NAME,
            CommandNotification::OBJECT_NAME,
        ];
        assert_eq!(
            names,
            [
                "RC:TxtMsg",
                "RC:ImgMsg",
                "RC:GIFMsg",
                "RC:ImgTextMsg",
                "RC:FileMsg",
                "RC:HQVCMsg",
                "RC:SightMsg",
                "RC:LBSMsg",
                "RC:InfoNtf",
                "RC:ContactNtf",
                "RC:ProfileNtf",
                "RC:GrpNtf",
                "RC:CmdMsg",
                "RC:CmdNtf",
            ]
        );
        for name in names {
            assert!(name.starts_with(api_core::BUILT_IN_PREFIX));
            assert!(name.chars().count() <= api_core::MAX_OBJECT_NAME_CHARS);
        }
    }
}
