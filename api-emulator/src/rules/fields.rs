//! Checks shared by the form endpoints (001 private, 002 system, 004 online).

use crate::form::Form;
use crate::rejection::{Checked, Rejection};

/// 001 / 002 / 004 / 000: "单条消息最大 128k" for `content`.
pub(crate) const MAX_CONTENT_BYTES: usize = 128 * 1024;
/// 001 / 002 / 004 / 000: "消息类型长度不可超过 32 个字符".
pub(crate) const MAX_OBJECT_NAME_CHARS: usize = 32;

/// A required parameter: present once and not empty.
pub(crate) fn required<'f>(form: &'f Form<'_>, name: &str) -> Checked<&'f str> {
    match form.single(name)? {
        Some(v) if !v.is_empty() => Ok(v),
        Some(_) => Err(Rejection::invalid(format!("{name}: must not be empty"))),
        None => Err(Rejection::invalid(format!("{name}: required"))),
    }
}

/// `objectName` rule: required, at most 32 characters (too long is 1005).
pub(crate) fn check_object_name(name: &str, value: &str) -> Checked<()> {
    if value.is_empty() {
        return Err(Rejection::invalid(format!("{name}: must not be empty")));
    }
    let chars = value.chars().count();
    if chars > MAX_OBJECT_NAME_CHARS {
        return Err(Rejection::too_long(format!(
            "{name}: at most {MAX_OBJECT_NAME_CHARS} characters, got {chars}"
        )));
    }
    Ok(())
}

/// `content` rule: at most 128 KiB (too long is 1005).
pub(crate) fn check_content(name: &str, value: &str) -> Checked<()> {
    if value.is_empty() {
        return Err(Rejection::invalid(format!("{name}: must not be empty")));
    }
    if value.len() > MAX_CONTENT_BYTES {
        return Err(Rejection::too_long(format!(
            "{name}: at most {MAX_CONTENT_BYTES} bytes (128k), got {}",
            value.len()
        )));
    }
    Ok(())
}

/// A repeated recipient parameter: 1..=`max` values, none empty.
pub(crate) fn recipients(form: &Form<'_>, name: &str, max: usize) -> Checked<Vec<String>> {
    let values = form.all(name);
    if values.is_empty() {
        return Err(Rejection::invalid(format!("{name}: required")));
    }
    if values.len() > max {
        return Err(Rejection::invalid(format!(
            "{name}: at most {max} recipients per call, got {}",
            values.len()
        )));
    }
    if values.iter().any(|v| v.is_empty()) {
        return Err(Rejection::invalid(format!("{name}: must not be empty")));
    }
    Ok(values.into_iter().map(str::to_owned).collect())
}

/// An optional free-text parameter given at most once.
pub(crate) fn optional_text<'f>(form: &'f Form<'_>, name: &str) -> Checked<Option<&'f str>> {
    form.single(name)
}

/// An optional `Int` parameter that the pages define as 0 or 1.
pub(crate) fn optional_flag(form: &Form<'_>, name: &str) -> Checked<Option<bool>> {
    match form.single(name)? {
        None => Ok(None),
        Some("0") => Ok(Some(false)),
        Some("1") => Ok(Some(true)),
        Some(other) => Err(Rejection::invalid(format!(
            "{name}: must be 0 or 1, got {other:?}"
        ))),
    }
}

/// An optional `Boolean` parameter: exactly `true` or `false`.
pub(crate) fn optional_bool(form: &Form<'_>, name: &str) -> Checked<Option<bool>> {
    match form.single(name)? {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(Rejection::invalid(format!(
            "{name}: must be true or false, got {other:?}"
        ))),
    }
}

/// An optional `Int` parameter within `min..=max`.
pub(crate) fn optional_int(
    form: &Form<'_>,
    name: &str,
    min: i64,
    max: i64,
) -> Checked<Option<i64>> {
    let Some(raw) = form.single(name)? else {
        return Ok(None);
    };
    let value: i64 = raw
        .parse()
        .map_err(|_| Rejection::invalid(format!("{name}: must be an integer, got {raw:?}")))?;
    if !(min..=max).contains(&value) {
        return Err(Rejection::invalid(format!(
            "{name}: must be between {min} and {max}, got {value}"
        )));
    }
    Ok(Some(value))
}
