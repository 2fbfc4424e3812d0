//! `POST /sensitiveword/add.json` (D:moderation/add-sensitive-word).

use api_core::endpoint;

/// The longest word or replacement, in characters
/// (D:moderation/add-sensitive-word).
pub const MAX_WORD_CHARS: usize = 32;
/// How many words an app has by default (D:moderation/add-sensitive-word).
pub const WORD_QUOTA: usize = 50;

/// Adds a sensitive word: without a replacement it blocks every message
/// containing it (recipients get nothing); with one, it is replaced before
/// the message is delivered.
///
/// - Limits: `word` 1 to 32 characters; `replaceWord` 1 to 32 characters
///   when given (leave it out to block). The app's quota, 50 words by
///   default, is the server's to check (code 1019 beyond it, per the Node
///   SDK's code table).
/// - Rate limit: 100 calls a second.
/// - Idempotent: the list holds each word once, so a repeat after a lost
///   answer cannot add it twice. The page does not say what adding a word
///   already there answers; the emulator accepts it and sets the new
///   replacement.
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/moderation/add-sensitive-word>
/// (parameters, 32 characters, the quota of 50, the 15 minutes, the rate
/// limit) (API-BREADTH.md §2 #21, §5a).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::SensitiveWordAdd;
///
/// SensitiveWordAdd::blocking("scam").send(client).await?;
/// SensitiveWordAdd::replacing("darn", "****").send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/sensitiveword/add.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitiveWordAdd {
    /// The word (`word`).
    #[endpoint(non_empty, max_chars = 32)]
    pub word: String,
    /// What replaces it (`replaceWord`); `None` blocks messages instead.
    #[endpoint(non_empty, max_chars = 32)]
    pub replace_word: Option<String>,
}

impl SensitiveWordAdd {
    /// A word that blocks every message containing it.
    pub fn blocking(word: impl Into<String>) -> Self {
        Self {
            word: word.into(),
            replace_word: None,
        }
    }

    /// A word replaced by `replacement` in every message.
    pub fn replacing(word: impl Into<String>, replacement: impl Into<String>) -> Self {
        Self {
            word: word.into(),
            replace_word: Some(replacement.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Rule, Validate};

    use super::*;

    #[test]
    fn a_blocking_word_sends_no_replacement() {
        assert_eq!(
            SensitiveWordAdd::blocking("a&b").encode_body().unwrap(),
            b"word=a%26b"
        );
        assert_eq!(
            SensitiveWordAdd::replacing("坏", "*")
                .encode_body()
                .unwrap(),
            b"word=%E5%9D%8F&replaceWord=*"
        );
    }

    #[test]
    fn words_are_1_to_32_characters() {
        // 32 CJK characters are 96 bytes and still fine.
        assert_eq!(
            SensitiveWordAdd::blocking("字".repeat(32)).validate(),
            Ok(())
        );
        let error = SensitiveWordAdd::replacing("x".repeat(33), "")
            .validate()
            .unwrap_err();
        let found: Vec<(&str, &Rule)> = error
            .violations()
            .iter()
            .map(|v| (v.path(), v.rule()))
            .collect();
        assert_eq!(
            found,
            [
                ("word", &Rule::MaxChars(32)),
                ("replace_word", &Rule::Required)
            ]
        );
    }
}
