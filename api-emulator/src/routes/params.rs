//! Parameter checks the new endpoints share, on top of `rules::fields`: ids,
//! id lists, lengths, integers and `name[<key>]=<value>` maps. Every refusal
//! starts with the parameter's name; a value too long is 1005, anything else
//! wrong is 1002 (REFERENCE.md's code table).

pub(super) use crate::rules::fields::{
    check_content, check_object_name, optional_bool, optional_flag, optional_int, optional_text,
    required,
};

use crate::form::Form;
use crate::rejection::{Checked, Rejection};

/// User ids: "≤64 bytes" (D:user/register; Py `user.py` checks 1..64 for every
/// id list).
pub(super) const MAX_USER_ID_BYTES: usize = 64;
/// Group and ultra group ids: "最大长度 64 个字符。支持大小写英文字母与数字的组合"
/// (D:group/create-group, Dcn:ultragroup/create-ultragroup).
pub(super) const MAX_GROUP_ID_CHARS: usize = 64;
/// Chatroom ids: "id ≤64 B" (D:chatroom/deprecated-create), the same for every
/// chatroom call.
pub(super) const MAX_CHATROOM_ID_BYTES: usize = 64;
/// Group names: 64 characters (Go `GroupCreate`; Py `group.py` 1..64).
pub(super) const MAX_GROUP_NAME_CHARS: usize = 64;

/// At most `max` bytes (1005).
pub(super) fn max_bytes(name: &str, value: &str, max: usize) -> Checked<()> {
    if value.len() > max {
        return Err(Rejection::too_long(format!(
            "{name}: at most {max} bytes, got {}",
            value.len()
        )));
    }
    Ok(())
}

/// At most `max` characters (1005).
pub(super) fn max_chars(name: &str, value: &str, max: usize) -> Checked<()> {
    let n = value.chars().count();
    if n > max {
        return Err(Rejection::too_long(format!(
            "{name}: at most {max} characters, got {n}"
        )));
    }
    Ok(())
}

/// Only ASCII letters and digits (1002).
pub(super) fn alphanumeric(name: &str, value: &str) -> Checked<()> {
    if !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Rejection::invalid(format!(
            "{name}: only letters and digits are allowed, got {value:?}"
        )));
    }
    Ok(())
}

/// A required user id of at most 64 bytes.
pub(super) fn user_id<'f>(form: &'f Form<'_>, name: &str) -> Checked<&'f str> {
    let id = required(form, name)?;
    max_bytes(name, id, MAX_USER_ID_BYTES)?;
    Ok(id)
}

/// A required group (or ultra group) id: 1..=64 letters and digits.
pub(super) fn group_id<'f>(form: &'f Form<'_>, name: &str) -> Checked<&'f str> {
    let id = required(form, name)?;
    check_group_id(name, id)?;
    Ok(id)
}

/// The group id rule on a value.
pub(super) fn check_group_id(name: &str, id: &str) -> Checked<()> {
    max_chars(name, id, MAX_GROUP_ID_CHARS)?;
    alphanumeric(name, id)
}

/// A required group name of at most 64 characters.
pub(super) fn group_name<'f>(form: &'f Form<'_>, name: &str) -> Checked<&'f str> {
    let value = required(form, name)?;
    max_chars(name, value, MAX_GROUP_NAME_CHARS)?;
    Ok(value)
}

/// A repeated id parameter: 1..=`max` values, each non-empty and at most
/// `max_bytes` bytes; repeats are dropped, first occurrence kept.
pub(super) fn id_list(
    form: &Form<'_>,
    name: &str,
    max: usize,
    max_bytes_each: usize,
) -> Checked<Vec<String>> {
    let values = form.all(name);
    if values.is_empty() {
        return Err(Rejection::invalid(format!("{name}: required")));
    }
    if values.len() > max {
        return Err(Rejection::invalid(format!(
            "{name}: at most {max} per call, got {}",
            values.len()
        )));
    }
    let mut ids: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        if value.is_empty() {
            return Err(Rejection::invalid(format!("{name}: must not be empty")));
        }
        max_bytes(name, value, max_bytes_each)?;
        if !ids.iter().any(|id| id == value) {
            ids.push(value.to_owned());
        }
    }
    Ok(ids)
}

/// A required integer within `min..=max`.
pub(super) fn required_int(form: &Form<'_>, name: &str, min: i64, max: i64) -> Checked<i64> {
    optional_int(form, name, min, max)?
        .ok_or_else(|| Rejection::invalid(format!("{name}: required")))
}

/// Every `prefix[<key>]=<value>` pair, in wire order (`group[g1]=Name`,
/// `chatroom[r1]=Name`). A key given twice is ambiguous and refused.
pub(super) fn bracketed<'f>(form: &'f Form<'_>, prefix: &str) -> Checked<Vec<(&'f str, &'f str)>> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for (name, value) in form.pairs() {
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let Some(key) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) else {
            return Err(Rejection::invalid(format!(
                "{name}: expected {prefix}[<id>]=<name>"
            )));
        };
        if key.is_empty() {
            return Err(Rejection::invalid(format!(
                "{name}: the id in brackets is empty"
            )));
        }
        if out.iter().any(|(k, _)| *k == key) {
            return Err(Rejection::invalid(format!("{name}: given more than once")));
        }
        out.push((key, value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists_and_brackets() {
        let form =
            Form::parse(b"userId=a&userId=b&userId=a&group%5Bg1%5D=One&group[g2]=Two").unwrap();
        // Repeats are dropped, but every value given counts against the limit.
        assert_eq!(id_list(&form, "userId", 3, 64).unwrap(), ["a", "b"]);
        let err = id_list(&form, "userId", 2, 64).unwrap_err();
        assert_eq!(err.code, 1002);
        assert_eq!(err.message, "userId: at most 2 per call, got 3");
        assert_eq!(id_list(&form, "userId", 3, 0).unwrap_err().code, 1005);
        assert_eq!(
            bracketed(&form, "group").unwrap(),
            [("g1", "One"), ("g2", "Two")]
        );
        let bad = Form::parse(b"group[g1=x").unwrap();
        assert!(bad_message(bracketed(&bad, "group")).starts_with("group[g1:"));
        let twice = Form::parse(b"group[g]=x&group[g]=y").unwrap();
        assert!(bracketed(&twice, "group").is_err());
    }

    fn bad_message<T: std::fmt::Debug>(r: Checked<T>) -> String {
        r.unwrap_err().message.into_owned()
    }

    #[test]
    fn group_ids_are_alphanumeric_and_short() {
        check_group_id("groupId", "Group42").unwrap();
        assert_eq!(check_group_id("groupId", "g-1").unwrap_err().code, 1002);
        assert_eq!(
            check_group_id("groupId", &"g".repeat(65)).unwrap_err().code,
            1005
        );
    }
}
