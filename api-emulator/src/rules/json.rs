//! Typed access to JSON bodies with error messages that name the full field path
//! (for example `notification.ios.badge`).
//!
//! `null` is treated as "absent": the provider's servers are Java and Go services
//! that read a null field as unset, and clients commonly serialize `None` that way.

use serde_json::{Map, Value};

use crate::rejection::{Checked, Rejection};

/// A JSON object.
pub(crate) type Obj = Map<String, Value>;

/// `path.key`, or just `key` at the top level.
pub(crate) fn field(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Parses a body (or an embedded JSON string) that must be a JSON object.
pub(crate) fn parse_object(bytes: &[u8], what: &str) -> Checked<Obj> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(_) => Err(Rejection::invalid(format!("{what}: must be a JSON object"))),
        Err(e) => Err(Rejection::invalid(format!("{what}: not valid JSON ({e})"))),
    }
}

fn present<'v>(obj: &'v Obj, key: &str) -> Option<&'v Value> {
    obj.get(key).filter(|v| !v.is_null())
}

/// An optional string field.
pub(crate) fn opt_str<'v>(obj: &'v Obj, path: &str, key: &str) -> Checked<Option<&'v str>> {
    match present(obj, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Rejection::invalid(format!(
            "{}: must be a string",
            field(path, key)
        ))),
    }
}

/// A required, non-empty string field.
pub(crate) fn req_str<'v>(obj: &'v Obj, path: &str, key: &str) -> Checked<&'v str> {
    match opt_str(obj, path, key)? {
        Some(s) if !s.is_empty() => Ok(s),
        Some(_) => Err(Rejection::invalid(format!(
            "{}: must not be empty",
            field(path, key)
        ))),
        None => Err(Rejection::invalid(format!(
            "{}: required",
            field(path, key)
        ))),
    }
}

/// An optional string field limited to `max` characters (too long is 1005).
pub(crate) fn opt_str_max_chars<'v>(
    obj: &'v Obj,
    path: &str,
    key: &str,
    max: usize,
) -> Checked<Option<&'v str>> {
    let s = opt_str(obj, path, key)?;
    if let Some(s) = s {
        let n = s.chars().count();
        if n > max {
            return Err(Rejection::too_long(format!(
                "{}: at most {max} characters, got {n}",
                field(path, key)
            )));
        }
    }
    Ok(s)
}

/// An optional string field whose value must be one of `allowed`.
pub(crate) fn opt_enum(obj: &Obj, path: &str, key: &str, allowed: &[&str]) -> Checked<()> {
    if let Some(s) = opt_str(obj, path, key)?
        && !allowed.contains(&s)
    {
        return Err(Rejection::invalid(format!(
            "{}: must be one of {}, got {s:?}",
            field(path, key),
            allowed.join(", ")
        )));
    }
    Ok(())
}

/// An optional object field.
pub(crate) fn opt_obj<'v>(obj: &'v Obj, path: &str, key: &str) -> Checked<Option<&'v Obj>> {
    match present(obj, key) {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(Rejection::invalid(format!(
            "{}: must be a JSON object",
            field(path, key)
        ))),
    }
}

/// An optional boolean field (`true` / `false`, not strings).
pub(crate) fn opt_bool(obj: &Obj, path: &str, key: &str) -> Checked<Option<bool>> {
    match present(obj, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(Rejection::invalid(format!(
            "{}: must be true or false",
            field(path, key)
        ))),
    }
}

/// An optional integer field.
pub(crate) fn opt_int(obj: &Obj, path: &str, key: &str) -> Checked<Option<i64>> {
    match present(obj, key) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| Rejection::invalid(format!("{}: must be an integer", field(path, key)))),
        Some(_) => Err(Rejection::invalid(format!(
            "{}: must be an integer",
            field(path, key)
        ))),
    }
}

/// An optional integer field whose value must be one of `allowed`.
pub(crate) fn opt_int_in(obj: &Obj, path: &str, key: &str, allowed: &[i64]) -> Checked<()> {
    if let Some(n) = opt_int(obj, path, key)?
        && !allowed.contains(&n)
    {
        let list: Vec<String> = allowed.iter().map(i64::to_string).collect();
        return Err(Rejection::invalid(format!(
            "{}: must be one of {}, got {n}",
            field(path, key),
            list.join(", ")
        )));
    }
    Ok(())
}

/// An optional array of strings; `None` when absent.
pub(crate) fn opt_str_array<'v>(
    obj: &'v Obj,
    path: &str,
    key: &str,
) -> Checked<Option<Vec<&'v str>>> {
    match present(obj, key) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.as_str()),
                _ => Err(Rejection::invalid(format!(
                    "{}: must be an array of strings",
                    field(path, key)
                ))),
            })
            .collect::<Checked<Vec<_>>>()
            .map(Some),
        Some(_) => Err(Rejection::invalid(format!(
            "{}: must be an array of strings",
            field(path, key)
        ))),
    }
}

/// An optional URL field that must use HTTPS (000 / 001: "URL 使用的协议必须是 HTTPS 协议").
pub(crate) fn opt_https_url(obj: &Obj, path: &str, key: &str) -> Checked<()> {
    if let Some(url) = opt_str(obj, path, key)?
        && !url.starts_with("https://")
    {
        return Err(Rejection::invalid(format!(
            "{}: must be an https:// URL",
            field(path, key)
        )));
    }
    Ok(())
}
