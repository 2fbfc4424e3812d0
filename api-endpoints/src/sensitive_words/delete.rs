//! `POST /sensitiveword/delete.json` and `POST /sensitiveword/batch/delete.json`.

use api_core::endpoint;

/// The most words one batch delete names
/// (D:moderation/batch-remove-sensitive-word).
pub const MAX_WORDS_PER_DELETE: usize = 50;

/// Removes one sensitive word.
///
/// - Limits: `word` 1 to 32 characters (the limit of a word).
/// - Rate limit: no page found states one; this declares the provider's
///   default of 100 calls a second, which is not a documented figure.
/// - Idempotent: removing a word that is gone changes nothing.
///
/// Sources: the Java, PHP, Node and Python SDKs call it with one `word`
/// (API-BREADTH.md §1c); no stored page describes it (the batch call's page
/// does).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::SensitiveWordDelete;
///
/// SensitiveWordDelete::new("scam").send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/sensitiveword/delete.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitiveWordDelete {
    /// The word (`word`).
    #[endpoint(non_empty, max_chars = 32)]
    pub word: String,
}

impl SensitiveWordDelete {
    /// Removes `word`.
    pub fn new(word: impl Into<String>) -> Self {
        Self { word: word.into() }
    }
}

/// Removes up to 50 sensitive words.
///
/// - Limits: 1 to 50 `words`, each 1 to 32 characters.
/// - Rate limit: 100 calls a second.
/// - Idempotent: removing words that are gone changes nothing.
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/moderation/batch-remove-sensitive-word>
/// (the repeated `words`, 50 a call, the rate limit) (API-BREADTH.md §2
/// #22).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::SensitiveWordBatchDelete;
///
/// SensitiveWordBatchDelete::new(["money", "aaa", "bbb"]).send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/sensitiveword/batch/delete.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitiveWordBatchDelete {
    /// The words (`words`, repeated), 1 to 50.
    #[endpoint(min_items = 1, max_items = 50, non_empty, max_chars = 32)]
    pub words: Vec<String>,
}

impl SensitiveWordBatchDelete {
    /// Removes `words`.
    pub fn new<I, S>(words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            words: words.into_iter().map(Into::into).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Rule, Validate};

    use super::*;

    #[test]
    fn the_documented_example() {
        assert_eq!(
            SensitiveWordBatchDelete::new(["money", "aaa", "bbb"])
                .encode_body()
                .unwrap(),
            b"words=money&words=aaa&words=bbb"
        );
        let error = SensitiveWordBatchDelete::new((0..51).map(|i| i.to_string()))
            .validate()
            .unwrap_err();
        assert_eq!(error.violations()[0].rule(), &Rule::MaxItems(50));
    }
}
