//! Sensitive words: `/sensitiveword/add.json`, `list`, `delete`, `batch/delete`
//! (D:moderation/*; Go `sdk/sensitive.go`). They apply to messages at once in
//! the emulator; the provider takes about 15 minutes (see `state::sensitive`).

use serde_json::json;

use super::params;
use super::{Call, Reply};
use crate::answer;
use crate::form::Form;
use crate::rejection::Checked;

/// D:moderation/add-sensitive-word: `word` and `replaceWord` "≤32 chars".
const MAX_WORD_CHARS: usize = 32;
/// D:moderation/batch-remove-sensitive-word: `words` "≤50".
const MAX_WORDS_PER_DELETE: usize = 50;
/// Py `sensitive.py`: `type` defaults to 1 (blocking words).
const DEFAULT_LIST_TYPE: i64 = 1;

/// `/sensitiveword/add.json`: without `replaceWord` (or with it empty) the word
/// blocks messages; with it, it is replaced. 1019 beyond the quota of 50.
pub(super) fn add(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let word = params::required(&form, "word")?;
    params::max_chars("word", word, MAX_WORD_CHARS)?;
    let replace = params::optional_text(&form, "replaceWord")?.filter(|r| !r.is_empty());
    if let Some(replace) = replace {
        params::max_chars("replaceWord", replace, MAX_WORD_CHARS)?;
    }
    call.admit(1)?;
    call.app.state.words.add(word, replace)?;
    Ok(Reply::new(answer::ok()))
}

/// `/sensitiveword/list.json`: `{"code":200,"words":[{"type":"0","word":..,
/// "replaceWord":..}]}`, `type` 0 replacing, 1 blocking (the default), 2 all.
pub(super) fn list(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let kind = if body.is_empty() {
        DEFAULT_LIST_TYPE
    } else {
        let form = Form::parse(body)?;
        params::optional_int(&form, "type", 0, 2)?.unwrap_or(DEFAULT_LIST_TYPE)
    };
    call.admit(1)?;
    let words: Vec<_> = call
        .app
        .state
        .words
        .list(kind as u8)
        .into_iter()
        .map(|w| {
            json!({
                "type": w.kind().to_string(),
                "word": w.word,
                "replaceWord": w.replace_word.unwrap_or_default(),
            })
        })
        .collect();
    Ok(Reply::new(answer::json(
        &json!({ "code": 200, "words": words }),
    )))
}

/// `/sensitiveword/delete.json`: one `word`; an unknown word answers 200.
pub(super) fn delete(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let word = params::required(&form, "word")?;
    params::max_chars("word", word, MAX_WORD_CHARS)?;
    call.admit(1)?;
    call.app.state.words.remove(&[word.to_owned()]);
    Ok(Reply::new(answer::ok()))
}

/// `/sensitiveword/batch/delete.json`: 1..=50 `words`.
pub(super) fn batch_delete(call: &Call<'_>, body: &[u8]) -> Checked<Reply> {
    let form = Form::parse(body)?;
    let words = params::id_list(&form, "words", MAX_WORDS_PER_DELETE, usize::MAX)?;
    for word in &words {
        params::max_chars("words", word, MAX_WORD_CHARS)?;
    }
    call.admit(1)?;
    call.app.state.words.remove(&words);
    Ok(Reply::new(answer::ok()))
}
