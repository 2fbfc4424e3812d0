//! Image contents: `RC:ImgMsg`, `RC:GIFMsg` and `RC:ImgTextMsg`.

use api_core::{Setters, Validate};
use serde::{Deserialize, Serialize};

use super::parts::UserInfo;

/// An image message (`RC:ImgMsg`), counted as unread and stored by clients.
///
/// Fields: `content` (a Base64 JPEG thumbnail; required), `imageUri` (the
/// full image; required), `user` and `extra`.
///
/// The server does not host the image: upload it to your own storage first
/// and send its URL. The thumbnail is what clients show before loading the
/// image; the sources recommend a small one (the Go SDK quotes "about 5 KB,
/// at most 10 KB" of Base64, the Java SDK "at most 30 KB", the provider's
/// help centre "under 80 KB") and no rule is enforced here beyond the
/// 128 KiB of the whole content.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::ImageMessage;
///
/// let image = ImageMessage::new("/9j/4AAQSkZJRg...", "https://example.com/cat.jpg");
/// assert_eq!(image.object_name(), "RC:ImgMsg");
/// assert_eq!(
///     image.encode_content().unwrap(),
///     r#"{"content":"/9j/4AAQSkZJRg...","imageUri":"https://example.com/cat.jpg"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct ImageMessage {
    /// The thumbnail, a JPEG in Base64 without a `data:` prefix and without
    /// line breaks (`content`).
    #[serde(rename = "content")]
    #[validate(non_empty)]
    pub thumbnail: String,
    /// The URL of the full image, uploaded to your storage (`imageUri`).
    #[validate(non_empty)]
    pub image_uri: String,
    /// Sender information shown by clients (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl ImageMessage {
    /// An image at `image_uri`, shown first as `thumbnail` (Base64 JPEG).
    pub fn new(thumbnail: impl Into<String>, image_uri: impl Into<String>) -> Self {
        Self {
            thumbnail: thumbnail.into(),
            image_uri: image_uri.into(),
            user: None,
            extra: None,
        }
    }
}

built_in_content!(ImageMessage, "RC:ImgMsg");

/// A GIF message (`RC:GIFMsg`), counted as unread and stored by clients.
///
/// Fields: `remoteUrl` (the GIF; required), `gifDataSize` (its size in
/// bytes), `width` and `height` (in pixels), `user` and `extra`.
///
/// The field list follows the provider's Java SDK (`GifMessage.java`),
/// which is the only source read that defines this type. That class also
/// has `localPath`, a path on the device that downloaded the GIF; it means
/// nothing in a message sent by a server and is left out.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::GifMessage;
///
/// let gif = GifMessage::new("https://example.com/wave.gif", 48_213, 240, 180);
/// assert_eq!(gif.object_name(), "RC:GIFMsg");
/// # let _ = gif;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct GifMessage {
    /// The URL of the GIF, uploaded to your storage (`remoteUrl`).
    #[validate(non_empty)]
    pub remote_url: String,
    /// The size of the GIF file in bytes (`gifDataSize`).
    pub gif_data_size: u64,
    /// The width in pixels (`width`).
    pub width: u32,
    /// The height in pixels (`height`).
    pub height: u32,
    /// Sender information shown by clients (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl GifMessage {
    /// The GIF at `remote_url`, of `gif_data_size` bytes and `width` ×
    /// `height` pixels; clients size the bubble before downloading it.
    pub fn new(remote_url: impl Into<String>, gif_data_size: u64, width: u32, height: u32) -> Self {
        Self {
            remote_url: remote_url.into(),
            gif_data_size,
            width,
            height,
            user: None,
            extra: None,
        }
    }
}

built_in_content!(GifMessage, "RC:GIFMsg");

/// An image-text (rich content) message (`RC:ImgTextMsg`): a card with a
/// title, a digest, an image and a link. Counted as unread and stored by
/// clients; the provider no longer recommends it for new applications.
///
/// Fields: `title` and `content` (the digest; both required), `imageUri`
/// (the card image, shown at 120 × 120 pixels), `url` (opened when the card
/// is tapped), `user` and `extra`.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::ImageTextMessage;
///
/// let card = ImageTextMessage::new("Release 2.0", "What is new")
///     .image_uri("https://example.com/logo.png")
///     .url("https://example.com/news/2.0");
/// assert_eq!(card.object_name(), "RC:ImgTextMsg");
/// # let _ = card;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct ImageTextMessage {
    /// The title (`title`).
    #[validate(non_empty)]
    pub title: String,
    /// The digest shown under the title (`content`).
    pub content: String,
    /// The URL of the card image, 120 × 120 pixels (`imageUri`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_uri: Option<String>,
    /// The page opened when the card is tapped (`url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Sender information shown by clients (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl ImageTextMessage {
    /// A card titled `title` with the digest `content`.
    pub fn new(title: impl Into<String>, content: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            content: content.into(),
            image_uri: None,
            url: None,
            user: None,
            extra: None,
        }
    }
}

built_in_content!(ImageTextMessage, "RC:ImgTextMsg");

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use api_core::MessageContent;
    use serde_json::json;

    #[test]
    fn image_json() {
        let image = ImageMessage::new("iVBORw0KGgo=", "http://www.rongcloud.cn/avatar.jpg");
        assert_eq!(image.object_name(), "RC:ImgMsg");
        assert_eq!(
            wire(&image),
            json!({"content": "iVBORw0KGgo=", "imageUri": "http://www.rongcloud.cn/avatar.jpg"})
        );
        let full = image.user(UserInfo::new("u1", "Ann")).extra("x");
        assert_eq!(
            wire(&full),
            json!({
                "content": "iVBORw0KGgo=",
                "imageUri": "http://www.rongcloud.cn/avatar.jpg",
                "user": {"id": "u1", "name": "Ann"},
                "extra": "x"
            })
        );
    }

    #[test]
    fn image_validation() {
        assert!(violations(ImageMessage::new("AAAA", "https://e.com/a.jpg")).is_empty());
        assert_eq!(
            violations(ImageMessage::new("", "")),
            [required("content.thumbnail"), required("content.image_uri")]
        );
    }

    #[test]
    fn gif_json_and_validation() {
        let gif = GifMessage::new("https://e.com/a.gif", 1024, 64, 32).extra("e");
        assert_eq!(gif.object_name(), "RC:GIFMsg");
        assert_eq!(
            wire(&gif),
            json!({"remoteUrl": "https://e.com/a.gif", "gifDataSize": 1024, "width": 64, "height": 32, "extra": "e"})
        );
        assert!(violations(gif).is_empty());
        assert_eq!(
            violations(GifMessage::new("", 1, 1, 1)),
            [required("content.remote_url")]
        );
    }

    #[test]
    fn image_text_json_and_validation() {
        let card = ImageTextMessage::new("Title", "Digest");
        assert_eq!(card.object_name(), "RC:ImgTextMsg");
        assert_eq!(wire(&card), json!({"title": "Title", "content": "Digest"}));
        let full = card
            .image_uri("https://e.com/i.png")
            .url("https://e.com/page?a=1&b=2")
            .user(UserInfo::new("u", "n"))
            .extra("x");
        assert_eq!(
            wire(&full),
            json!({
                "title": "Title",
                "content": "Digest",
                "imageUri": "https://e.com/i.png",
                "url": "https://e.com/page?a=1&b=2",
                "user": {"id": "u", "name": "n"},
                "extra": "x"
            })
        );
        assert!(violations(full).is_empty());
        // An empty digest is allowed: a card may be a title and an image.
        assert_eq!(
            violations(ImageTextMessage::new("", "")),
            [required("content.title")]
        );
    }

    #[test]
    fn special_characters_survive() {
        assert_round_trip(
            &ImageMessage::new(SPECIAL, SPECIAL)
                .user(UserInfo::new(SPECIAL, SPECIAL))
                .extra(SPECIAL),
        );
        assert_round_trip(&GifMessage::new(SPECIAL, u64::MAX, u32::MAX, 0).extra(SPECIAL));
        let card = ImageTextMessage::new(SPECIAL, SPECIAL)
            .image_uri(SPECIAL)
            .url(SPECIAL)
            .extra(SPECIAL);
        assert_eq!(wire(&card)["url"], SPECIAL);
        assert_round_trip(&card);
    }
}
