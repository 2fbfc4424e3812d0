//! `POST /sensitiveword/list.json` (D:moderation/query-sensitive-word).

use api_core::{IntEnum, endpoint};
use serde::{Deserialize, Deserializer};

/// Which words [`SensitiveWordList`] answers (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntEnum)]
pub enum SensitiveWordFilter {
    /// Replacing words (`0`).
    Replacing = 0,
    /// Blocking words (`1`, what the server lists without `type`).
    Blocking = 1,
    /// Every word (`2`).
    All = 2,
}

/// Lists the app's sensitive words: blocking ones by default, replacing ones
/// or all with a filter.
///
/// - Rate limit: 100 calls a second.
/// - Idempotent: it only reads.
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/moderation/query-sensitive-word>
/// (`type` 0, 1, 2 with 1 the default; the answer's `words[].word`,
/// `replaceWord`, `type`; the rate limit) (API-BREADTH.md §2 #22).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::SensitiveWordList;
///
/// let answer = SensitiveWordList::all().send(client).await?;
/// for word in &answer.words {
///     println!("{} -> {:?}", word.word, word.replace_word);
/// }
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/sensitiveword/list.json",
    encoding = "form",
    response = SensitiveWordListResponse,
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SensitiveWordList {
    /// Which words (`type`); the server lists blocking words without it.
    #[endpoint(rename = "type")]
    pub filter: Option<SensitiveWordFilter>,
}

impl SensitiveWordList {
    /// The server's default: blocking words (no `type` sent).
    pub fn new() -> Self {
        Self::default()
    }

    /// Every word.
    pub fn all() -> Self {
        Self::new().filter(SensitiveWordFilter::All)
    }

    /// Blocking words only.
    pub fn blocking() -> Self {
        Self::new().filter(SensitiveWordFilter::Blocking)
    }

    /// Replacing words only.
    pub fn replacing() -> Self {
        Self::new().filter(SensitiveWordFilter::Replacing)
    }
}

/// The answer of [`SensitiveWordList`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SensitiveWordListResponse {
    /// The words (`words`).
    #[serde(default)]
    pub words: Vec<SensitiveWord>,
}

impl SensitiveWordListResponse {
    /// The entry of `word`, if listed.
    pub fn word(&self, word: &str) -> Option<&SensitiveWord> {
        self.words.iter().find(|entry| entry.word == word)
    }
}

/// What a sensitive word does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SensitiveWordKind {
    /// It is replaced (`type` `"0"`).
    Replacing,
    /// It blocks the message (`type` `"1"`).
    Blocking,
}

impl<'de> Deserialize<'de> for SensitiveWordKind {
    /// The page answers `type` as a string (`"0"`); the PHP SDK's table as
    /// a number: both are read.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Text(String),
            Number(i64),
        }
        let value = match Wire::deserialize(deserializer)? {
            Wire::Text(text) => text.trim().parse::<i64>().ok(),
            Wire::Number(number) => Some(number),
        };
        match value {
            Some(0) => Ok(Self::Replacing),
            Some(1) => Ok(Self::Blocking),
            _ => Err(serde::de::Error::custom(
                "a sensitive word type must be 0 (replacing) or 1 (blocking)",
            )),
        }
    }
}

/// One sensitive word of a [`SensitiveWordListResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SensitiveWord {
    /// The word (`word`).
    pub word: String,
    /// What replaces it (`replaceWord`); `None` for a blocking word, whose
    /// `replaceWord` the server answers empty.
    #[serde(rename = "replaceWord", default, deserialize_with = "empty_is_none")]
    pub replace_word: Option<String>,
    /// What it does (`type`).
    #[serde(rename = "type")]
    pub kind: SensitiveWordKind,
}

fn empty_is_none<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let value = Option::<String>::deserialize(deserializer)?;
    Ok(value.filter(|text| !text.is_empty()))
}

#[cfg(test)]
mod tests {
    use api_core::Endpoint;

    use super::*;

    #[test]
    fn the_filter_is_its_number_and_optional() {
        assert_eq!(SensitiveWordList::new().encode_body().unwrap(), b"");
        assert_eq!(SensitiveWordList::all().encode_body().unwrap(), b"type=2");
        assert_eq!(
            SensitiveWordList::replacing().encode_body().unwrap(),
            b"type=0"
        );
    }

    #[test]
    fn the_documented_answer_decodes() {
        let body = br#"{"code":200,"words":[{"word":"money","replaceWord":"***","type":"0"},{"word":"scam","replaceWord":"","type":1}]}"#;
        let answer: SensitiveWordListResponse =
            api_core::decode_response(http::StatusCode::OK, body, None).unwrap();
        let money = answer.word("money").unwrap();
        assert_eq!(money.replace_word.as_deref(), Some("***"));
        assert_eq!(money.kind, SensitiveWordKind::Replacing);
        let scam = answer.word("scam").unwrap();
        assert_eq!(scam.replace_word, None);
        assert_eq!(scam.kind, SensitiveWordKind::Blocking);
        assert!(serde_json::from_str::<SensitiveWord>(r#"{"word":"x","type":"7"}"#).is_err());
    }
}
