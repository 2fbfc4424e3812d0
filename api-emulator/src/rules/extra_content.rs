//! `extraContent`: message-extension key/value pairs sent as a JSON string (001).
//!
//! "Key 最大 32 个字符,支持大小写英文字母、数字、特殊字符+ = - _ 的组合方式,不支持汉字。
//! Value 最大 4096 个字符。单次可设置最多 100 对 KV 扩展信息".

use serde_json::Value;

use super::json;
use crate::rejection::{Checked, Rejection};

const MAX_KEY_CHARS: usize = 32;
const MAX_VALUE_CHARS: usize = 4096;
const MAX_PAIRS: usize = 100;

fn key_char_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '=' | '-' | '_')
}

/// Checks an `extraContent` value. It is validated whenever present, even though the
/// page says it only takes effect with `expansion=true`: a malformed value is a
/// client bug either way.
pub(crate) fn check(raw: &str) -> Checked<()> {
    let obj = json::parse_object(raw.as_bytes(), "extraContent")?;
    if obj.len() > MAX_PAIRS {
        return Err(Rejection::invalid(format!(
            "extraContent: at most {MAX_PAIRS} key/value pairs per call, got {}",
            obj.len()
        )));
    }
    for (key, value) in &obj {
        if key.is_empty() || !key.chars().all(key_char_allowed) {
            return Err(Rejection::invalid(format!(
                "extraContent: key {key:?} may only use A-Z a-z 0-9 + = - _"
            )));
        }
        if key.chars().count() > MAX_KEY_CHARS {
            return Err(Rejection::too_long(format!(
                "extraContent: key {key:?} is longer than {MAX_KEY_CHARS} characters"
            )));
        }
        let Value::String(value) = value else {
            return Err(Rejection::invalid(format!(
                "extraContent: value of {key:?} must be a string"
            )));
        };
        let n = value.chars().count();
        if n > MAX_VALUE_CHARS {
            return Err(Rejection::too_long(format!(
                "extraContent: value of {key:?} is {n} characters, at most {MAX_VALUE_CHARS}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example_and_limits() {
        check(r#"{"type":"3"}"#).unwrap();
        check(r#"{"a+b=c-d_e":"x"}"#).unwrap();
        assert_eq!(check(r#"{"类型":"3"}"#).unwrap_err().code, 1002);
        assert_eq!(check(r#"{"a.b":"3"}"#).unwrap_err().code, 1002);
        let long_key = format!(r#"{{"{}":"v"}}"#, "k".repeat(33));
        assert_eq!(check(&long_key).unwrap_err().code, 1005);
        let long_value = format!(r#"{{"k":"{}"}}"#, "v".repeat(4097));
        assert_eq!(check(&long_value).unwrap_err().code, 1005);
        let many: Vec<String> = (0..101).map(|i| format!(r#""k{i}":"v""#)).collect();
        assert_eq!(
            check(&format!("{{{}}}", many.join(","))).unwrap_err().code,
            1002
        );
        assert_eq!(check(r#"{"k":3}"#).unwrap_err().code, 1002);
        assert_eq!(check("[]").unwrap_err().code, 1002);
    }
}
