//! What a journal keeps of the command line that created it (its
//! `app_data`), so that `campaign resume` and `campaign report` rebuild the
//! same template and know the quota the campaign ran under.

use serde::{Deserialize, Serialize};

use crate::cli::{ContentArgs, MessageArgs};
use crate::content::Content;
use crate::exit::Failure;

/// The `app_data` of a journal made by `rongcloud campaign run`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stored {
    /// Always `rongcloud`: marks journals this tool made.
    pub tool: String,
    /// A system message rather than a private one.
    pub system: bool,
    /// The sender.
    pub from: String,
    /// `--text`.
    pub text: Option<String>,
    /// `--object-name`.
    pub object_name: Option<String>,
    /// `--content-json`.
    pub content_json: Option<String>,
    /// `--push-content`.
    pub push_content: Option<String>,
    /// The `--limit`s of the run that created the journal, the default of
    /// later resumes and of the report's quota line.
    #[serde(default)]
    pub limits: Vec<String>,
}

const TOOL: &str = "rongcloud";

impl Stored {
    /// What `campaign run` keeps.
    pub fn new(system: bool, from: &str, message: &MessageArgs, limits: &[String]) -> Self {
        Self {
            tool: TOOL.to_owned(),
            system,
            from: from.to_owned(),
            text: message.content.text.clone(),
            object_name: message.content.object_name.clone(),
            content_json: message.content.content_json.clone(),
            push_content: message.push_content.clone(),
            limits: limits.to_vec(),
        }
    }

    /// Reads a journal's `app_data`; a usage error when it was not made by
    /// this tool.
    pub fn read(app_data: Option<&str>, journal: &std::path::Path) -> Result<Self, Failure> {
        let not_ours = || {
            Failure::usage(format!(
                "{} was not created by `rongcloud campaign run`: this tool cannot rebuild its \
                 message (resume it with the program that created it)",
                journal.display()
            ))
        };
        let stored: Stored =
            serde_json::from_str(app_data.ok_or_else(not_ours)?).map_err(|_| not_ours())?;
        if stored.tool != TOOL {
            return Err(not_ours());
        }
        Ok(stored)
    }

    /// The content again.
    pub fn content(&self) -> Result<Content, Failure> {
        Content::from_args(&ContentArgs {
            text: self.text.clone(),
            object_name: self.object_name.clone(),
            content_json: self.content_json.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_foreign_app_data() {
        let message = MessageArgs {
            content: ContentArgs {
                text: Some("hi".into()),
                object_name: None,
                content_json: None,
            },
            push_content: Some("you have mail".into()),
        };
        let stored = Stored::new(true, "ops", &message, &["/x=1/1s".into()]);
        let text = serde_json::to_string(&stored).unwrap();
        let path = std::path::Path::new("j");
        assert_eq!(Stored::read(Some(&text), path).unwrap(), stored);
        assert!(Stored::read(None, path).is_err());
        assert!(Stored::read(Some("{\"app\":1}"), path).is_err());
    }
}
