//! The file message, `RC:FileMsg`.

use api_core::{Setters, Validate};
use serde::{Deserialize, Serialize};

use super::parts::{UserInfo, lenient};

/// A file message (`RC:FileMsg`), counted as unread and stored by clients.
///
/// Fields: `name` (the file name), `size` (bytes), `type` (the extension
/// without the dot, such as `pdf`), `fileUrl` (the file, uploaded to your
/// storage), `user` and `extra`.
///
/// The sources disagree on what is required: the server documentation
/// quoted by the Go SDK makes `name` optional (clients then invent one when
/// downloading) while the Web SDK lists it as required, and the Java SDK
/// has no `type` at all. This type asks for all four, which every client
/// accepts. The Go SDK also sends `size` as a string; it is a number here,
/// as in the documentation and the other SDKs, and either form is accepted
/// when reading.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::FileMessage;
///
/// let file = FileMessage::new("report.pdf", 3014, "pdf", "https://example.com/report.pdf");
/// assert_eq!(file.object_name(), "RC:FileMsg");
/// assert_eq!(
///     file.encode_content().unwrap(),
///     r#"{"name":"report.pdf","size":3014,"type":"pdf","fileUrl":"https://example.com/report.pdf"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct FileMessage {
    /// The file name shown to the user (`name`).
    #[validate(non_empty)]
    pub name: String,
    /// The size in bytes (`size`).
    #[serde(deserialize_with = "lenient::u64_or_string")]
    pub size: u64,
    /// The file type: its extension without the dot, such as `pdf` (`type`).
    #[serde(rename = "type")]
    #[validate(non_empty)]
    pub file_type: String,
    /// The URL of the file, uploaded to your storage (`fileUrl`).
    #[validate(non_empty)]
    pub file_url: String,
    /// Sender information shown by clients (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl FileMessage {
    /// The file `name` of `size` bytes and type `file_type` (its extension
    /// without the dot), stored at `file_url`.
    pub fn new(
        name: impl Into<String>,
        size: u64,
        file_type: impl Into<String>,
        file_url: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            size,
            file_type: file_type.into(),
            file_url: file_url.into(),
            user: None,
            extra: None,
        }
    }
}

built_in_content!(FileMessage, "RC:FileMsg");

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use api_core::MessageContent;
    use serde_json::json;

    #[test]
    fn json() {
        let file = FileMessage::new("user.md", 3014, "md", "http://www.rongcloud.com/user.md");
        assert_eq!(file.object_name(), "RC:FileMsg");
        assert_eq!(
            wire(&file),
            json!({"name": "user.md", "size": 3014, "type": "md", "fileUrl": "http://www.rongcloud.com/user.md"})
        );
        let full = file
            .user(UserInfo::new("u", "n").extra("e"))
            .extra("附加信息");
        assert_eq!(
            wire(&full),
            json!({
                "name": "user.md",
                "size": 3014,
                "type": "md",
                "fileUrl": "http://www.rongcloud.com/user.md",
                "user": {"id": "u", "name": "n", "extra": "e"},
                "extra": "附加信息"
            })
        );
    }

    #[test]
    fn sizes_above_four_gib_and_string_sizes() {
        let big = FileMessage::new("disk.img", 5_000_000_000, "img", "https://e.com/disk.img");
        assert_eq!(wire(&big)["size"], 5_000_000_000u64);
        let read: FileMessage = serde_json::from_value(
            json!({"name": "a", "size": "12", "type": "txt", "fileUrl": "https://e.com/a"}),
        )
        .unwrap();
        assert_eq!(read, FileMessage::new("a", 12, "txt", "https://e.com/a"));
    }

    #[test]
    fn validation() {
        assert!(violations(FileMessage::new("a.txt", 0, "txt", "https://e.com/a.txt")).is_empty());
        assert_eq!(
            violations(FileMessage::new("", 1, "", "")),
            [
                required("content.name"),
                required("content.file_type"),
                required("content.file_url"),
            ]
        );
    }

    #[test]
    fn special_characters_survive() {
        let file = FileMessage::new(SPECIAL, 1, SPECIAL, SPECIAL)
            .user(UserInfo::new(SPECIAL, SPECIAL))
            .extra(SPECIAL);
        assert_eq!(wire(&file)["name"], SPECIAL);
        assert_round_trip(&file);
    }
}
