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

/// The built-in types `--object-name` knows, checked field by field.
pub const BUILT_IN: [&str; 14] = [
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
        let typed = match name {
            "RC:TxtMsg" => built_in::<TextMessage>(json),
            "RC:ImgMsg" => built_in::<ImageMessage>(json),
            "RC:GIFMsg" => built_in::<GifMessage>(json),
            "RC:ImgTextMsg" => built_in::<ImageTextMessage>(json),
            "RC:FileMsg" => built_in::<FileMessage>(json),
            "RC:HQVCMsg" => built_in::<VoiceMessage>(json),
            "RC:SightMsg" => built_in::<SightMessage>(json),
            "RC:LBSMsg" => built_in::<LocationMessage>(json),
            "RC:InfoNtf" => built_in::<InfoNotification>(json),
            "RC:ContactNtf" => built_in::<ContactNotification>(json),
            "RC:ProfileNtf" => built_in::<ProfileNotification>(json),
            "RC:GrpNtf" => built_in::<GroupNotification>(json),
            "RC:CmdMsg" => built_in::<CommandMessage>(json),
            "RC:CmdNtf" => built_in::<CommandNotification>(json),
            other if other.starts_with("RC:") => {
                return Err(Failure::usage(format!(
                    "--object-name {other}: not a built-in type this tool knows ({}); \
                     names starting with RC: are reserved for built-in types",
                    BUILT_IN.join(", ")
                )));
            }
            _ => {
                serde_json::from_str::<serde_json::Value>(json).map_err(|e| {
                    Failure::usage(format!("--content-json is not valid JSON: {e}"))
                })?;
                return Ok(Content(Arc::new(CustomMessage::new(name, json))));
            }
        };
        typed.map_err(|e| Failure::usage(format!("--content-json does not fit {name}: {e}")))
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
