//! `extraContent`: the expansion key-value pairs of an expandable message
//! (page 001), sent as a JSON string inside the form.

use std::borrow::Cow;
use std::collections::BTreeMap;

use api_core::{Actual, Report, Rule, Validate};
use serde::Serialize;

/// The most pairs one call may set.
pub const MAX_PAIRS: usize = 100;
/// The longest key, in characters.
pub const MAX_KEY_CHARS: usize = 32;
/// The longest value, in characters.
pub const MAX_VALUE_CHARS: usize = 4096;

/// The expansion of a message (`extraContent`), effective only when the
/// message is sent with `expansion = true`.
///
/// Keys have at most 32 characters of `A-Z a-z 0-9 + = - _`; values at most
/// 4096 characters; at most 100 pairs a call (300 a message over its life).
/// Keys are kept sorted, so the same pairs always encode the same way.
///
/// ```
/// use api_core::Validate;
/// use api_endpoints::ExtraContent;
///
/// let extra = ExtraContent::new().insert("type", "3");
/// assert_eq!(serde_json::to_string(&extra).unwrap(), r#"{"type":"3"}"#);
/// assert!(extra.validate().is_ok());
/// assert!(ExtraContent::new().insert("中文", "x").validate().is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ExtraContent(BTreeMap<String, String>);

impl ExtraContent {
    /// No pairs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a pair.
    #[must_use]
    pub fn insert(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    /// The pairs, by key.
    pub fn pairs(&self) -> &BTreeMap<String, String> {
        &self.0
    }

    /// The number of pairs.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no pair.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for ExtraContent {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '=' | '-' | '_')
}

impl Validate for ExtraContent {
    fn validate_into(&self, report: &mut Report) {
        if self.0.is_empty() {
            report.violation(Rule::MinItems(1), Actual::Size(0));
        }
        if self.0.len() > MAX_PAIRS {
            report.violation(Rule::MaxItems(MAX_PAIRS), Actual::Size(self.0.len()));
        }
        for (key, value) in &self.0 {
            report.key(key, |report| {
                let key_chars = key.chars().count();
                if key.is_empty() {
                    report.violation(
                        Rule::Other(Cow::Borrowed("a key must not be empty")),
                        Actual::text(key),
                    );
                } else if key_chars > MAX_KEY_CHARS {
                    report.violation(
                        Rule::Other(Cow::Owned(format!(
                            "a key has at most {MAX_KEY_CHARS} characters"
                        ))),
                        Actual::Size(key_chars),
                    );
                }
                if !key.chars().all(is_key_char) {
                    report.violation(
                        Rule::Charset("A-Z a-z 0-9 + = - _ in a key"),
                        Actual::text(key),
                    );
                }
                api_core::validate::rules::max_chars(report, value.as_str(), MAX_VALUE_CHARS);
            });
        }
    }
}
