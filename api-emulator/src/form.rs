//! A strict `application/x-www-form-urlencoded` reader.
//!
//! Strict on purpose: a malformed percent escape or bytes that do not decode to
//! UTF-8 are answered with 1002 instead of being repaired, so a client that encodes
//! its bodies wrongly finds out here rather than in production. Values without
//! escapes are borrowed from the body, keeping the hot path light.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::rejection::{Checked, Rejection};

/// The decoded pairs of one form body, in wire order (repeated keys are kept).
#[derive(Debug)]
pub(crate) struct Form<'a> {
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> Form<'a> {
    /// Decodes `body`; `+` is a space and `%XX` a byte, as the encoding defines.
    pub fn parse(body: &'a [u8]) -> Checked<Self> {
        let mut pairs = Vec::with_capacity(16);
        for segment in body.split(|b| *b == b'&') {
            if segment.is_empty() {
                continue;
            }
            let (key, value) = match segment.iter().position(|b| *b == b'=') {
                Some(i) => (&segment[..i], &segment[i + 1..]),
                None => (segment, &segment[segment.len()..]),
            };
            let key = decode(key)?;
            if key.is_empty() {
                return Err(Rejection::invalid(
                    "form body has a pair with an empty name",
                ));
            }
            let value = decode(value)?;
            pairs.push((key, value));
        }
        Ok(Self { pairs })
    }

    /// The one value of `name`, if present; a non-repeatable parameter given twice
    /// is ambiguous and rejected.
    pub fn single(&self, name: &str) -> Checked<Option<&str>> {
        let mut found = None;
        for (k, v) in &self.pairs {
            if k == name {
                if found.is_some() {
                    return Err(Rejection::invalid(format!("{name}: given more than once")));
                }
                found = Some(v.as_ref());
            }
        }
        Ok(found)
    }

    /// Every value of the repeatable parameter `name`, in wire order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
            .collect()
    }

    /// Every (name, value) pair in wire order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The parameters not named in `exclude`, for the delivery record; a repeated
    /// name becomes an array of its values.
    pub fn rest(&self, exclude: &[&str]) -> Map<String, Value> {
        let mut map = Map::new();
        for (k, v) in &self.pairs {
            if exclude.contains(&k.as_ref()) {
                continue;
            }
            let v = Value::String(v.to_string());
            match map.get_mut(k.as_ref()) {
                None => {
                    map.insert(k.to_string(), v);
                }
                Some(Value::Array(items)) => items.push(v),
                Some(existing) => {
                    let first = existing.take();
                    *existing = Value::Array(vec![first, v]);
                }
            }
        }
        map
    }
}

/// Decodes `%XX` escapes of a path segment (`+` stays a plus in paths).
pub(crate) fn decode_path_segment(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            // `from_str_radix` alone would also take a sign such as "+1".
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn decode(raw: &[u8]) -> Checked<Cow<'_, str>> {
    if !raw.iter().any(|b| *b == b'%' || *b == b'+') {
        return std::str::from_utf8(raw)
            .map(Cow::Borrowed)
            .map_err(|_| Rejection::invalid("form body is not valid UTF-8"));
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = raw.get(i + 1).and_then(|b| hex_value(*b));
                let lo = raw.get(i + 2).and_then(|b| hex_value(*b));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => {
                        return Err(Rejection::invalid(
                            "form body has a malformed percent escape",
                        ));
                    }
                }
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| Rejection::invalid("form body does not decode to UTF-8"))
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_percent_and_repeats() {
        let form = Form::parse(b"a=x+y%26z&to=1&to=2&&flag").unwrap();
        assert_eq!(form.single("a").unwrap(), Some("x y&z"));
        assert_eq!(form.all("to"), ["1", "2"]);
        assert_eq!(form.single("flag").unwrap(), Some(""));
        assert!(form.single("to").is_err());
        let rest = form.rest(&["a"]);
        assert_eq!(rest["to"], serde_json::json!(["1", "2"]));
    }

    #[test]
    fn rejects_bad_escapes_and_utf8() {
        assert!(Form::parse(b"a=%zz").is_err());
        assert!(Form::parse(b"a=%2").is_err());
        assert!(Form::parse(b"a=%ff").is_err());
        assert!(Form::parse(b"=v").is_err());
    }

    #[test]
    fn decodes_path_segments() {
        assert_eq!(decode_path_segment("a%20b+c").as_deref(), Some("a b+c"));
        assert_eq!(decode_path_segment("%E7%94%B7").as_deref(), Some("男"));
        assert_eq!(decode_path_segment("%zz"), None);
        assert_eq!(decode_path_segment("%4"), None);
        assert_eq!(decode_path_segment("%+1"), None);
    }
}
