//! Sensitive words: words that block a message, or are replaced in it.
//!
//! | call | type |
//! |---|---|
//! | `POST /sensitiveword/add.json` | [`SensitiveWordAdd`] |
//! | `POST /sensitiveword/list.json` | [`SensitiveWordList`] |
//! | `POST /sensitiveword/delete.json` | [`SensitiveWordDelete`] |
//! | `POST /sensitiveword/batch/delete.json` | [`SensitiveWordBatchDelete`] |
//!
//! An app has 50 words by default (more are bought in the console), and a
//! change takes effect after about 15 minutes (the PHP SDK's feature list
//! says 2 hours). By default words only filter messages sent by clients;
//! filtering Server API messages is a console setting
//! (D:moderation/add-sensitive-word).

mod add;
mod delete;
mod list;

pub use add::{MAX_WORD_CHARS, SensitiveWordAdd, WORD_QUOTA};
pub use delete::{MAX_WORDS_PER_DELETE, SensitiveWordBatchDelete, SensitiveWordDelete};
pub use list::{
    SensitiveWord, SensitiveWordFilter, SensitiveWordKind, SensitiveWordList,
    SensitiveWordListResponse,
};
