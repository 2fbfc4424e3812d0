//! Voice and video contents: `RC:HQVCMsg` and `RC:SightMsg`.

use api_core::{Setters, Validate};
use serde::{Deserialize, Serialize};

use super::parts::UserInfo;

/// A high-quality voice message (`RC:HQVCMsg`), counted as unread and
/// stored by clients. It replaces the old `RC:VcMsg`, which carried AMR
/// audio in Base64 inside the message.
///
/// Fields: `remoteUrl` (the recording, an AAC file uploaded to your
/// storage; required), `duration` (seconds, at most 60; required), `user`
/// and `extra`.
///
/// The Java SDK also has `localPath`, a path on the device that recorded or
/// downloaded the file; it means nothing in a message sent by a server and
/// is left out.
///
/// ```
/// use api_core::{Message, MessageContent, Validate};
/// use api_endpoints::content::VoiceMessage;
///
/// let voice = VoiceMessage::new("https://example.com/hello.aac", 7);
/// assert_eq!(voice.object_name(), "RC:HQVCMsg");
/// assert!(Message::new(voice).validate().is_ok());
///
/// let too_long = Message::new(VoiceMessage::new("https://example.com/talk.aac", 61));
/// assert_eq!(too_long.validate().unwrap_err().violations()[0].path(), "content.duration");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct VoiceMessage {
    /// The URL of the AAC recording, uploaded to your storage (`remoteUrl`).
    #[validate(non_empty)]
    pub remote_url: String,
    /// The length in seconds, at most 60 (`duration`).
    #[validate(min = 0, max = 60)]
    pub duration: u32,
    /// Sender information shown by clients (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl VoiceMessage {
    /// The recording at `remote_url` (AAC), `duration` seconds long (at
    /// most 60).
    pub fn new(remote_url: impl Into<String>, duration: u32) -> Self {
        Self {
            remote_url: remote_url.into(),
            duration,
            user: None,
            extra: None,
        }
    }
}

built_in_content!(VoiceMessage, "RC:HQVCMsg");

/// A short video message (`RC:SightMsg`), counted as unread and stored by
/// clients.
///
/// Fields: `content` (a Base64 JPEG of the first frame), `sightUrl` (the
/// video, uploaded to your storage), `duration` (seconds), `size` (bytes),
/// `name` (the file name), `user` and `extra`.
///
/// The field list follows the provider's Java SDK (`SightMessage.java`),
/// which is the only source read that defines this type and sets every
/// field but `extra`; it has no `user`, which is kept here because every
/// other content type carries it the same way. The Java SDK documents no
/// duration limit and none is enforced.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::SightMessage;
///
/// let video = SightMessage::new("/9j/4AAQ...", "https://example.com/clip.mp4", 12, 1_048_576, "clip.mp4");
/// assert_eq!(video.object_name(), "RC:SightMsg");
/// # let _ = video;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct SightMessage {
    /// The first frame, a JPEG in Base64 without a `data:` prefix
    /// (`content`).
    #[serde(rename = "content")]
    #[validate(non_empty)]
    pub thumbnail: String,
    /// The URL of the video, uploaded to your storage (`sightUrl`).
    #[validate(non_empty)]
    pub sight_url: String,
    /// The length in seconds (`duration`).
    pub duration: u32,
    /// The size of the video file in bytes (`size`).
    pub size: u64,
    /// The file name (`name`).
    #[validate(non_empty)]
    pub name: String,
    /// Sender information shown by clients (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl SightMessage {
    /// The video `name` at `sight_url`, `duration` seconds and `size` bytes
    /// long, shown first as `thumbnail` (Base64 JPEG of the first frame).
    pub fn new(
        thumbnail: impl Into<String>,
        sight_url: impl Into<String>,
        duration: u32,
        size: u64,
        name: impl Into<String>,
    ) -> Self {
        Self {
            thumbnail: thumbnail.into(),
            sight_url: sight_url.into(),
            duration,
            size,
            name: name.into(),
            user: None,
            extra: None,
        }
    }
}

built_in_content!(SightMessage, "RC:SightMsg");

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use api_core::{MessageContent, Rule};
    use serde_json::json;

    #[test]
    fn voice_json() {
        let voice = VoiceMessage::new("https://e.com/v.aac", 10);
        assert_eq!(voice.object_name(), "RC:HQVCMsg");
        assert_eq!(
            wire(&voice),
            json!({"remoteUrl": "https://e.com/v.aac", "duration": 10})
        );
        assert_eq!(
            wire(&voice.user(UserInfo::new("u", "n")).extra("x")),
            json!({"remoteUrl": "https://e.com/v.aac", "duration": 10, "user": {"id": "u", "name": "n"}, "extra": "x"})
        );
    }

    #[test]
    fn voice_validation() {
        // "最长为 60 秒" (at most 60 seconds), quoted by the Go SDK.
        assert!(violations(VoiceMessage::new("https://e.com/v.aac", 60)).is_empty());
        assert_eq!(
            violations(VoiceMessage::new("https://e.com/v.aac", 61)),
            [(
                "content.duration".to_owned(),
                Rule::Range { min: 0, max: 60 }
            )]
        );
        assert_eq!(
            violations(VoiceMessage::new("", 1)),
            [required("content.remote_url")]
        );
    }

    #[test]
    fn sight_json_and_validation() {
        let video = SightMessage::new("AAAA", "https://e.com/s.mp4", 8, 2048, "s.mp4");
        assert_eq!(video.object_name(), "RC:SightMsg");
        assert_eq!(
            wire(&video),
            json!({"content": "AAAA", "sightUrl": "https://e.com/s.mp4", "duration": 8, "size": 2048, "name": "s.mp4"})
        );
        assert!(violations(video.clone().extra("x")).is_empty());
        assert_eq!(wire(&video.extra("x"))["extra"], "x");
        assert_eq!(
            violations(SightMessage::new("", "", 0, 0, "")),
            [
                required("content.thumbnail"),
                required("content.sight_url"),
                required("content.name"),
            ]
        );
    }

    #[test]
    fn special_characters_survive() {
        assert_round_trip(
            &VoiceMessage::new(SPECIAL, 60)
                .user(UserInfo::new(SPECIAL, SPECIAL).portrait(SPECIAL))
                .extra(SPECIAL),
        );
        assert_round_trip(
            &SightMessage::new(SPECIAL, SPECIAL, 1, u64::MAX, SPECIAL)
                .user(UserInfo::new(SPECIAL, SPECIAL))
                .extra(SPECIAL),
        );
    }
}
