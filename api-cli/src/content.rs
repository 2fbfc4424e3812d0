//! The message a command sends: `--text`, or `--object-name` with
//! `--content-json`.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use api_core::{CustomMessage, EncodeError, MessageContent, Report};
use api_endpoints::content::{
    CommandMessage, CommandNotification, ContactNotification, FileMessage, GifMessage,
    GroupNotification, ImageMessage, ImageTextMessage, InfoNotification, LocationMessage,
    ProfileNotification, SightMessage, TextMessage, VoiceMessage,
};
use serde::de::DeserializeOwned;

use crate::cli::ContentArgs;
use crate::exit::Failure;

/// A message content chosen on the command line. Cheap to clone.
#[derive(Clone)]
pub struct Content(Arc<dyn MessageContent + Send + Sync>);

impl fmt::Debug for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Content")
            .field("object_name", &self.0.object_name())
            .finish_non_exhaustive()
    }
}

impl MessageContent for Content {
    fn object_name(&self) -> &str {
        self.0.object_name()
    }

    fn encode_content(&self) -> Result<Cow<'_, str>, EncodeError> {
        self.0.encode_content()
    }

    fn validate_content(&self, report: &mut Report) {
        self.0.validate_content(report)
    }
}

/// A built-in type given as JSON: sent exactly as written (fields the typed
/// struct does not know are kept), checked by the typed struct's rules.
struct BuiltIn<T> {
    json: String,
    typed: T,
}

impl<T: MessageContent> MessageContent for BuiltIn<T> {
    fn object_name(&self) -> &str {
        self.typed.object_name()
    }

    fn encode_content(&self) -> Result<Cow<'_, str>, EncodeError> {
        Ok(Cow::Borrowed(&self.json))
    }

    fn validate_content(&self, report: &mut Report) {
        self.typed.validate_content(report)
    }
}

fn built_in<T>(json: &str) -> Result<Content, serde_json::Error>
where
    T: MessageContent + DeserializeOwned + Send + Sync + 'static,
{
    let typed: T = serde_json::from_str(json)?;
    Ok(Content(Arc::new(BuiltIn {
        json: json.to_owned(),
        typed,
    })))
}

/// Reads a built-in type's JSON into a [`Content`].
type Parse = fn(&str) -> Result<Content, serde_json::Error>;

/// The built-in types `--object-name` knows, checked field by field: each
/// type's own `OBJECT_NAME` and its parser, listed once.
const BUILT_IN: [(&str, Parse); 14] = [
    (TextMessage::OBJECT_NAME, built_in::<TextMessage>),
    (ImageMessage::OBJECT_NAME, built_in::<ImageMessage>),
    (GifMessage::OBJECT_NAME, built_in::<GifMessage>),
    (ImageTextMessage::OBJECT_NAME, built_in::<ImageTextMessage>),
    (FileMessage::OBJECT_NAME, built_in::<FileMessage>),
    (VoiceMessage::OBJECT_NAME, built_in::<VoiceMessage>),
    (SightMessage::OBJECT_NAME, built_in::<SightMessage>),
    (LocationMessage::OBJECT_NAME, built_in::<LocationMessage>),
    (InfoNotification::OBJECT_NAME, built_in::<InfoNotification>),
    (
        ContactNotification::OBJECT_NAME,
        built_in::<ContactNotification>,
    ),
    (
        ProfileNotification::OBJECT_NAME,
        built_in::<ProfileNotification>,
    ),
    (
        GroupNotification::OBJECT_NAME,
        built_in::<GroupNotification>,
    ),
    (CommandMessage::OBJECT_NAME, built_in::<CommandMessage>),
    (
        CommandNotification::OBJECT_NAME,
        built_in::<CommandNotification>,
    ),
];

impl Content {
    /// The content the flags describe; a usage error when the JSON is not
    /// JSON, or does not fit the built-in type it names.
    pub fn from_args(args: &ContentArgs) -> Result<Self, Failure> {
        if let Some(text) = &args.text {
            return Ok(Content(Arc::new(TextMessage::new(text.clone()))));
        }
        let (Some(name), Some(json)) = (&args.object_name, &args.content_json) else {
            return Err(Failure::usage(
                "give --text, or --object-name with --content-json",
            ));
        };
        Self::object(name, json)
    }

    /// `--object-name NAME --content-json JSON`.
    pub fn object(name: &str, json: &str) -> Result<Self, Failure> {
        if let Some((_, parse)) = BUILT_IN.iter().find(|(known, _)| *known == name) {
            return parse(json)
                .map_err(|e| Failure::usage(format!("--content-json does not fit {name}: {e}")));
        }
        if name.starts_with(api_core::BUILT_IN_PREFIX) {
            let known: Vec<&str> = BUILT_IN.iter().map(|(known, _)| *known).collect();
            return Err(Failure::usage(format!(
                "--object-name {name}: not a built-in type this tool knows ({}); \
                 names starting with RC: are reserved for built-in types",
                known.join(", ")
            )));
        }
        serde_json::from_str::<serde_json::Value>(json)
            .map_err(|e| Failure::usage(format!("--content-json is not valid JSON: {e}")))?;
        Ok(Content(Arc::new(CustomMessage::new(name, json))))
    }
}

#[cfg(test)]
mod tests {
    use api_core::{Message, Validate};

    use super::*;

    #[test]
    fn built_in_json_is_sent_as_written_and_checked_by_its_type() {
        let json = r#"{"content":"hi & bye","extra":"x","unknownField":1}"#;
        let content = Content::object("RC:TxtMsg", json).unwrap();
        assert_eq!(content.object_name(), "RC:TxtMsg");
        assert_eq!(content.encode_content().unwrap(), json);
        assert!(Message::new(content).validate().is_ok());

        let empty = Content::object("RC:TxtMsg", r#"{"content":""}"#).unwrap();
        let error = Message::new(empty).validate().unwrap_err();
        assert_eq!(error.violations()[0].path(), "content.content");
    }

    #[test]
    fn custom_types_need_json_and_unknown_built_ins_are_refused() {
        let custom = Content::object("App:Order", r#"{"id":7}"#).unwrap();
        assert_eq!(custom.object_name(), "App:Order");
        assert!(Content::object("App:Order", "{id").is_err());
        let unknown = Content::object("RC:Mystery", "{}").unwrap_err();
        assert!(unknown.message.contains("not a built-in type"), "{unknown}");
        let misfit = Content::object("RC:ImgMsg", r#"{"content":"x"}"#).unwrap_err();
        assert!(
            misfit.message.contains("does not fit RC:ImgMsg"),
            "{misfit}"
        );
    }
}
