//! The location message, `RC:LBSMsg`.

use api_core::{Actual, Report, Rule, Setters, Validate};
use serde::{Deserialize, Serialize};

use super::parts::UserInfo;

/// A location message (`RC:LBSMsg`), counted as unread and stored by
/// clients.
///
/// Fields: `content` (a Base64 JPEG of the map around the place; required),
/// `latitude` and `longitude` (degrees; required), `poi` (the place's name
/// or address; required), `user` and `extra`.
///
/// The documentation gives no coordinate system and no range, so neither
/// is checked (the Web SDK's own example has a longitude of 334.221). The
/// coordinates must be finite numbers, since JSON cannot carry NaN or
/// infinity.
///
/// ```
/// use api_core::MessageContent;
/// use api_endpoints::content::LocationMessage;
///
/// let place = LocationMessage::new("/9j/4AAQ...", 39.9928, 116.4802, "北京市朝阳区北苑路北辰泰岳大厦");
/// assert_eq!(place.object_name(), "RC:LBSMsg");
/// assert_eq!(
///     place.encode_content().unwrap(),
///     r#"{"content":"/9j/4AAQ...","latitude":39.9928,"longitude":116.4802,"poi":"北京市朝阳区北苑路北辰泰岳大厦"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
#[validate(check = Self::check_coordinates)]
pub struct LocationMessage {
    /// The map thumbnail, a JPEG in Base64 without a `data:` prefix and
    /// without line breaks (`content`).
    #[serde(rename = "content")]
    #[validate(non_empty)]
    pub thumbnail: String,
    /// The latitude in degrees (`latitude`).
    pub latitude: f64,
    /// The longitude in degrees (`longitude`).
    pub longitude: f64,
    /// The name or address of the place (`poi`).
    #[validate(non_empty)]
    pub poi: String,
    /// Sender information shown by clients (`user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl LocationMessage {
    /// The place `poi` at `latitude`, `longitude`, shown as `thumbnail` (a
    /// Base64 JPEG of the map).
    pub fn new(
        thumbnail: impl Into<String>,
        latitude: f64,
        longitude: f64,
        poi: impl Into<String>,
    ) -> Self {
        Self {
            thumbnail: thumbnail.into(),
            latitude,
            longitude,
            poi: poi.into(),
            user: None,
            extra: None,
        }
    }

    /// serde_json writes NaN and infinities as `null`, which clients cannot
    /// place on a map, so they are refused before sending.
    fn check_coordinates(&self, report: &mut Report) {
        for (name, value) in [("latitude", self.latitude), ("longitude", self.longitude)] {
            if !value.is_finite() {
                report.field(name, |report| {
                    report.violation(
                        Rule::Other("must be a finite number".into()),
                        Actual::Text(value.to_string()),
                    )
                });
            }
        }
    }
}

built_in_content!(LocationMessage, "RC:LBSMsg");

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use api_core::MessageContent;
    use serde_json::json;

    #[test]
    fn json() {
        let place = LocationMessage::new(
            "/9j/4AAQ",
            24.114,
            134.221,
            "北京市朝阳区北苑路北辰泰岳大厦",
        );
        assert_eq!(place.object_name(), "RC:LBSMsg");
        assert_eq!(
            wire(&place),
            json!({"content": "/9j/4AAQ", "latitude": 24.114, "longitude": 134.221, "poi": "北京市朝阳区北苑路北辰泰岳大厦"})
        );
        let full = place.user(UserInfo::new("u", "n")).extra("helloExtra");
        assert_eq!(
            wire(&full),
            json!({
                "content": "/9j/4AAQ",
                "latitude": 24.114,
                "longitude": 134.221,
                "poi": "北京市朝阳区北苑路北辰泰岳大厦",
                "user": {"id": "u", "name": "n"},
                "extra": "helloExtra"
            })
        );
    }

    #[test]
    fn coordinates_keep_their_precision() {
        let place =
            LocationMessage::new("A", -33.868_820_123_456_78, 151.209_295_987_654_3, "Sydney");
        let back: LocationMessage = serde_json::from_str(&place.encode_content().unwrap()).unwrap();
        assert_eq!(back.latitude.to_bits(), place.latitude.to_bits());
        assert_eq!(back.longitude.to_bits(), place.longitude.to_bits());
    }

    #[test]
    fn validation() {
        assert!(violations(LocationMessage::new("A", 0.0, -180.0, "here")).is_empty());
        assert_eq!(
            violations(LocationMessage::new("", 1.0, 1.0, "")),
            [required("content.thumbnail"), required("content.poi")]
        );
        let found = violations(LocationMessage::new("A", f64::NAN, f64::INFINITY, "here"));
        let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(paths, ["content.latitude", "content.longitude"]);
        assert_eq!(found[0].1, Rule::Other("must be a finite number".into()));
    }

    #[test]
    fn special_characters_survive() {
        let place = LocationMessage::new(SPECIAL, 1.5, -2.25, SPECIAL)
            .user(UserInfo::new(SPECIAL, SPECIAL))
            .extra(SPECIAL);
        assert_eq!(wire(&place)["poi"], SPECIAL);
        assert_round_trip(&place);
    }
}
