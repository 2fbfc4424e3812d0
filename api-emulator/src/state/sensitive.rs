//! Sensitive words (`/sensitiveword/*.json`) and what they do to a message.
//!
//! The provider applies a change "in about 15 minutes" (D:moderation/add-sensitive-word;
//! the PHP SDK's feature list says 2 hours). The emulator applies it at once, so a
//! test does not wait; a client must not rely on that.
//!
//! A blocking word (added without `replaceWord`) stops a message containing it:
//! the call is still answered as accepted, the message reaches nobody and is not
//! routed. A replacing word is replaced in what is delivered. Words match as
//! case-sensitive substrings of every string in the content when it is JSON (the
//! usual `{"content":"..."}`; keys are left alone, so a word cannot break the
//! JSON), or of the raw content otherwise.

use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde_json::Value;

use crate::records::Sensitive;
use crate::rejection::{Checked, Rejection};

/// D:moderation/add-sensitive-word: "quota 50 words by default".
pub(crate) const QUOTA: usize = 50;

/// A sensitive word of the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SensitiveWord {
    /// `word`.
    pub word: String,
    /// `replaceWord`; `None` for a blocking word.
    pub replace_word: Option<String>,
}

impl SensitiveWord {
    /// The `type` `/sensitiveword/list.json` answers: 0 replacing, 1 blocking.
    pub fn kind(&self) -> u8 {
        if self.replace_word.is_some() { 0 } else { 1 }
    }
}

/// The sensitive words of one app. Read on every message, written rarely.
#[derive(Debug, Default)]
pub(crate) struct SensitiveWords {
    words: RwLock<Vec<SensitiveWord>>,
    /// Whether there is any word: lets the message path skip the lock.
    any: AtomicBool,
}

impl SensitiveWords {
    /// Adds a word, or changes the replacement of a word already there (which
    /// does not use more of the quota). Refused with 1019 beyond 50 words.
    pub fn add(&self, word: &str, replace_word: Option<&str>) -> Checked<()> {
        let mut words = self.words.write().unwrap_or_else(|e| e.into_inner());
        if let Some(existing) = words.iter_mut().find(|w| w.word == word) {
            existing.replace_word = replace_word.map(str::to_owned);
            return Ok(());
        }
        if words.len() >= QUOTA {
            return Err(Rejection::word_quota(format!(
                "word: the app already has {QUOTA} sensitive words, the quota"
            )));
        }
        words.push(SensitiveWord {
            word: word.to_owned(),
            replace_word: replace_word.map(str::to_owned),
        });
        self.any.store(true, Ordering::Release);
        Ok(())
    }

    /// Removes the named words; unknown ones are ignored.
    pub fn remove(&self, names: &[String]) {
        let mut words = self.words.write().unwrap_or_else(|e| e.into_inner());
        words.retain(|w| !names.contains(&w.word));
        self.any.store(!words.is_empty(), Ordering::Release);
    }

    /// The words of `kind` (0 replacing, 1 blocking, 2 all), in the order added.
    pub fn list(&self, kind: u8) -> Vec<SensitiveWord> {
        let words = self.words.read().unwrap_or_else(|e| e.into_inner());
        words
            .iter()
            .filter(|w| kind == 2 || w.kind() == kind)
            .cloned()
            .collect()
    }

    /// What the words do to `content`: the verdict and, when words were replaced,
    /// the content as delivered.
    pub fn apply(&self, content: &str) -> (Sensitive, Option<String>) {
        if !self.any.load(Ordering::Acquire) {
            return (Sensitive::None, None);
        }
        let words = self.words.read().unwrap_or_else(|e| e.into_inner());
        match serde_json::from_str::<Value>(content) {
            Ok(mut value @ (Value::Object(_) | Value::Array(_))) => {
                if any_string(&value, &|s| {
                    words
                        .iter()
                        .any(|w| w.replace_word.is_none() && s.contains(&w.word))
                }) {
                    return (Sensitive::Blocked, None);
                }
                if replace_strings(&mut value, &words) {
                    let text = serde_json::to_string(&value).unwrap_or_else(|_| content.to_owned());
                    return (Sensitive::Replaced, Some(text));
                }
                (Sensitive::None, None)
            }
            _ => {
                if words
                    .iter()
                    .any(|w| w.replace_word.is_none() && content.contains(&w.word))
                {
                    return (Sensitive::Blocked, None);
                }
                let mut text = content.to_owned();
                if replace(&mut text, &words) {
                    (Sensitive::Replaced, Some(text))
                } else {
                    (Sensitive::None, None)
                }
            }
        }
    }
}

fn any_string(value: &Value, test: &dyn Fn(&str) -> bool) -> bool {
    match value {
        Value::String(s) => test(s),
        Value::Array(items) => items.iter().any(|v| any_string(v, test)),
        Value::Object(map) => map.values().any(|v| any_string(v, test)),
        _ => false,
    }
}

fn replace_strings(value: &mut Value, words: &[SensitiveWord]) -> bool {
    match value {
        Value::String(s) => replace(s, words),
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, v| replace_strings(v, words) | changed),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |changed, v| replace_strings(v, words) | changed),
        _ => false,
    }
}

fn replace(text: &mut String, words: &[SensitiveWord]) -> bool {
    let mut changed = false;
    for w in words {
        if let Some(by) = &w.replace_word
            && text.contains(&w.word)
        {
            *text = text.replace(&w.word, by);
            changed = true;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_replaces_inside_json_strings() {
        let words = SensitiveWords::default();
        assert_eq!(words.apply(r#"{"content":"hi"}"#), (Sensitive::None, None));
        words.add("darn", Some("d**n")).unwrap();
        words.add("forbidden", None).unwrap();
        let (verdict, text) = words.apply(r#"{"content":"darn it","extra":"darn"}"#);
        assert_eq!(verdict, Sensitive::Replaced);
        assert_eq!(text.unwrap(), r#"{"content":"d**n it","extra":"d**n"}"#);
        assert_eq!(
            words.apply(r#"{"content":"a forbidden word and darn"}"#),
            (Sensitive::Blocked, None)
        );
        // Keys are not content.
        assert_eq!(words.apply(r#"{"forbidden":"x"}"#), (Sensitive::None, None));
        // Plain text content is matched as it is.
        assert_eq!(
            words.apply("darn"),
            (Sensitive::Replaced, Some("d**n".to_owned()))
        );
        assert_eq!(words.list(0).len(), 1);
        assert_eq!(words.list(1)[0].word, "forbidden");
        assert_eq!(words.list(2).len(), 2);
        words.remove(&["darn".to_owned(), "forbidden".to_owned()]);
        assert_eq!(words.apply("darn forbidden"), (Sensitive::None, None));
    }

    #[test]
    fn quota_of_50() {
        let words = SensitiveWords::default();
        for i in 0..QUOTA {
            words.add(&format!("w{i}"), None).unwrap();
        }
        // Changing an existing word is not a new one.
        words.add("w0", Some("x")).unwrap();
        let err = words.add("w50", None).unwrap_err();
        assert_eq!((err.status, err.code), (403, 1019));
        assert!(err.message.starts_with("word:"));
    }
}
