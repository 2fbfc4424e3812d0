//! Message contents: what `objectName` and `content` carry.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::encode::form::{FormEncoder, FormFields, FormName};
use crate::encode::json::JsonFields;
use crate::error::EncodeError;
use crate::validate::{Actual, Report, Rule, Validate};

/// The largest `content` the server accepts: 128 KiB.
pub const MAX_CONTENT_BYTES: usize = 128 * 1024;
/// The longest `objectName`.
pub const MAX_OBJECT_NAME_CHARS: usize = 32;
/// The prefix reserved for the provider's built-in message types.
pub const BUILT_IN_PREFIX: &str = "RC:";

/// The content of a message: its type name (`objectName`) and its body
/// (`content`, usually JSON).
///
/// Built-in types (`RC:TxtMsg`, ...) are typed structs in `api-endpoints`;
/// [`CustomMessage`] sends an application-defined type.
pub trait MessageContent {
    /// The message type, sent as `objectName`.
    fn object_name(&self) -> &str;

    /// The body, sent as `content`.
    fn encode_content(&self) -> Result<Cow<'_, str>, EncodeError>;

    /// Checks rules of the content's own fields. The report is positioned at
    /// the message, so implementations push their own field names.
    fn validate_content(&self, report: &mut Report) {
        let _ = report;
    }
}

/// A message to send: one [`MessageContent`], written as the two wire
/// fields `objectName` and `content`.
///
/// In a form body the two are top-level fields (mark the struct field
/// `#[endpoint(flatten)]`); in a JSON body a `Message` is the object
/// `{"objectName": ..., "content": "<content as a string>"}`.
#[derive(Clone)]
pub struct Message<C> {
    content: C,
    // The content's wire text, written once: validation needs its size and
    // the body needs the text, and the content cannot change after
    // construction (the field is private), so one serialization serves both.
    encoded: OnceLock<Result<String, EncodeError>>,
}

impl<C: fmt::Debug> fmt::Debug for Message<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("content", &self.content)
            .finish()
    }
}

impl<C: PartialEq> PartialEq for Message<C> {
    fn eq(&self, other: &Self) -> bool {
        self.content == other.content
    }
}

impl<C: MessageContent> Message<C> {
    /// A message with this content.
    pub fn new(content: C) -> Self {
        Self {
            content,
            encoded: OnceLock::new(),
        }
    }

    /// The content as it is sent, serialized on first use.
    pub fn encoded_content(&self) -> Result<&str, EncodeError> {
        self.encoded
            .get_or_init(|| self.content.encode_content().map(Cow::into_owned))
            .as_deref()
            .map_err(Clone::clone)
    }

    /// The content.
    pub fn content(&self) -> &C {
        &self.content
    }

    /// The `objectName`.
    pub fn object_name(&self) -> &str {
        self.content.object_name()
    }
}

impl<C: MessageContent> From<C> for Message<C> {
    fn from(content: C) -> Self {
        Self::new(content)
    }
}

impl<C: MessageContent> Validate for Message<C> {
    fn validate_into(&self, report: &mut Report) {
        let name = self.content.object_name();
        report.field("object_name", |report| {
            if name.is_empty() {
                report.violation(Rule::Required, Actual::Text(String::new()));
            } else {
                let chars = name.chars().count();
                if chars > MAX_OBJECT_NAME_CHARS {
                    report.violation(Rule::MaxChars(MAX_OBJECT_NAME_CHARS), Actual::Size(chars));
                }
            }
        });
        // An unencodable content is reported when the body is encoded.
        if let Ok(body) = self.encoded_content() {
            report.field("content", |report| {
                if body.is_empty() {
                    report.violation(Rule::Required, Actual::Text(String::new()));
                } else if body.len() > MAX_CONTENT_BYTES {
                    report.violation(Rule::MaxBytes(MAX_CONTENT_BYTES), Actual::Size(body.len()));
                }
            });
        }
        self.content.validate_content(report);
    }
}

impl<C: MessageContent> FormFields for Message<C> {
    fn append_fields(&self, form: &mut FormEncoder) -> Result<(), EncodeError> {
        form.pair(
            const { FormName::plain("objectName") },
            self.content.object_name(),
        );
        form.pair(
            const { FormName::plain("content") },
            self.encoded_content()?,
        );
        Ok(())
    }
}

impl<C: MessageContent> JsonFields for Message<C> {
    fn serialize_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let body = self
            .encoded_content()
            .map_err(<M::Error as serde::ser::Error>::custom)?;
        map.serialize_entry("objectName", self.content.object_name())?;
        map.serialize_entry("content", body)
    }
}

impl<C: MessageContent> Serialize for Message<C> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        self.serialize_fields(&mut map)?;
        map.end()
    }
}

/// An application-defined message type.
///
/// Its `objectName` must not start with `RC:` (reserved for built-in types)
/// and has at most 32 characters; both are checked before sending. The
/// content is sent as given: the documentation allows any format for custom
/// types, JSON or not.
///
/// ```
/// use api_core::{CustomMessage, Validate};
///
/// let ok = CustomMessage::json("App:Order", &serde_json::json!({"id": 7})).unwrap();
/// assert_eq!(ok.content(), r#"{"id":7}"#);
/// assert!(api_core::Message::new(ok).validate().is_ok());
///
/// let reserved = CustomMessage::new("RC:Mine", "x");
/// assert!(api_core::Message::new(reserved).validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomMessage {
    object_name: String,
    content: String,
}

impl CustomMessage {
    /// A custom message whose content is `content` as it is.
    pub fn new(object_name: impl Into<String>, content: impl Into<String>) -> Self {
        Self {
            object_name: object_name.into(),
            content: content.into(),
        }
    }

    /// A custom message whose content is `value` serialized to JSON.
    pub fn json<T: Serialize + ?Sized>(
        object_name: impl Into<String>,
        value: &T,
    ) -> Result<Self, EncodeError> {
        let content = crate::encode::to_json_string("content", value)?;
        Ok(Self::new(object_name, content))
    }

    /// The content as it will be sent.
    pub fn content(&self) -> &str {
        &self.content
    }
}

impl MessageContent for CustomMessage {
    fn object_name(&self) -> &str {
        &self.object_name
    }

    fn encode_content(&self) -> Result<Cow<'_, str>, EncodeError> {
        Ok(Cow::Borrowed(&self.content))
    }

    fn validate_content(&self, report: &mut Report) {
        if self.object_name.starts_with(BUILT_IN_PREFIX) {
            report.field("object_name", |report| {
                report.violation(
                    Rule::Other(Cow::Borrowed(
                        "a custom objectName must not start with \"RC:\" (reserved for built-in types)",
                    )),
                    Actual::text(&self.object_name),
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_rules() {
        let long = Message::new(CustomMessage::new("A".repeat(33), "{}"));
        let error = long.validate().unwrap_err();
        assert_eq!(error.violations().len(), 1);
        assert_eq!(error.violations()[0].path(), "object_name");
        assert_eq!(error.violations()[0].rule(), &Rule::MaxChars(32));

        let reserved = Message::new(CustomMessage::new("RC:TxtMsg", "{}"));
        let error = reserved.validate().unwrap_err();
        assert_eq!(error.violations()[0].path(), "object_name");

        let big = Message::new(CustomMessage::new(
            "App:Big",
            "x".repeat(MAX_CONTENT_BYTES + 1),
        ));
        let error = big.validate().unwrap_err();
        assert_eq!(error.violations()[0].path(), "content");
        assert_eq!(error.violations()[0].rule(), &Rule::MaxBytes(131_072));
        assert_eq!(error.violations()[0].actual(), &Actual::Size(131_073));

        let exact = Message::new(CustomMessage::new(
            "A".repeat(32),
            "x".repeat(MAX_CONTENT_BYTES),
        ));
        assert!(exact.validate().is_ok());
    }

    #[test]
    fn content_is_serialized_once_for_validation_and_body() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        struct Counted(AtomicUsize);
        impl MessageContent for Counted {
            fn object_name(&self) -> &str {
                "App:Counted"
            }
            fn encode_content(&self) -> Result<Cow<'_, str>, EncodeError> {
                self.0.fetch_add(1, Ordering::SeqCst);
                Ok(Cow::Borrowed("{\"n\":1}"))
            }
        }
        let message = Message::new(Counted(AtomicUsize::new(0)));
        message.validate().unwrap();
        let mut form = FormEncoder::with_capacity(64);
        message.append_fields(&mut form).unwrap();
        assert_eq!(
            form.finish(),
            "objectName=App%3ACounted&content=%7B%22n%22%3A1%7D"
        );
        assert_eq!(
            serde_json::to_value(&message).unwrap()["content"],
            "{\"n\":1}"
        );
        assert_eq!(message.content().0.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn json_form_is_an_object_with_a_string_content() {
        let message =
            Message::new(CustomMessage::json("App:X", &serde_json::json!({"a": "\"q\""})).unwrap());
        let json = serde_json::to_value(&message).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"objectName": "App:X", "content": "{\"a\":\"\\\"q\\\"\"}"})
        );
    }
}
