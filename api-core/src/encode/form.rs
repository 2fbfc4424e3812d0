//! `application/x-www-form-urlencoded` bodies with repeated keys.
//!
//! The WHATWG form encoding, byte for byte what `form_urlencoded` (of the
//! `url` crate family) writes, and tested against it: every key and value
//! is percent-encoded, so `&`, `=`, `+`, `%`, quotes,
//! newlines, CJK and emoji all round-trip. `serde_urlencoded` is not used
//! because it cannot serialize a sequence as repeated keys.

use std::borrow::Cow;

use serde::Serialize;

use crate::error::EncodeError;

/// A form body being written.
pub struct FormEncoder {
    body: String,
}

impl std::fmt::Debug for FormEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormEncoder").finish_non_exhaustive()
    }
}

impl FormEncoder {
    /// An empty body with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            body: String::with_capacity(capacity),
        }
    }

    /// Appends `name=value`, both percent-encoded (a [`FormName::plain`]
    /// name is already as it is sent).
    ///
    /// ```
    /// use api_core::encode::form::{FormEncoder, FormName};
    ///
    /// let mut form = FormEncoder::with_capacity(64);
    /// form.pair(const { FormName::plain("userId") }, "a&b");
    /// form.pair("tag name", "x=1");
    /// assert_eq!(form.finish(), "userId=a%26b&tag+name=x%3D1");
    /// ```
    pub fn pair<'n>(&mut self, name: impl Into<FormName<'n>>, value: &str) {
        self.name(name.into());
        push_encoded(&mut self.body, value);
    }

    /// Appends `name=value` for a value made only of characters that need
    /// no encoding (digits, `-`, `true`, `false`).
    fn plain_pair(&mut self, name: FormName<'_>, value: &str) {
        debug_assert!(is_plain(value), "{value:?} needs encoding");
        self.name(name);
        self.body.push_str(value);
    }

    /// Appends the separator (after the first pair) and `name=`.
    fn name(&mut self, name: FormName<'_>) {
        if !self.body.is_empty() {
            self.body.push('&');
        }
        if name.plain {
            self.body.push_str(name.text);
        } else {
            push_encoded(&mut self.body, name.text);
        }
        self.body.push('=');
    }

    /// Appends `name=<value as a JSON string>`.
    pub fn json<'n, T: Serialize + ?Sized>(
        &mut self,
        name: impl Into<FormName<'n>>,
        value: &T,
    ) -> Result<(), EncodeError> {
        let name = name.into();
        let text = super::to_json_string(name.text, value)?;
        self.pair(name, &text);
        Ok(())
    }

    /// The encoded body.
    pub fn finish(self) -> String {
        self.body
    }
}

/// Whether `byte` is one that `application/x-www-form-urlencoded` leaves as
/// it is (the WHATWG set `form_urlencoded` uses).
const fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'*' | b'-' | b'.' | b'_')
}

/// Whether every byte of `name` is one the form encoding leaves as it is.
const fn is_plain(name: &str) -> bool {
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !is_unreserved(bytes[i]) {
            return false;
        }
        i += 1;
    }
    true
}

/// A form field's name, and whether it is sent as it is.
///
/// The names an endpoint declares are fixed and almost all plain (letters
/// and digits). [`FormName::new`] finds out which once, at compile time
/// when made in a `const` block (as `#[endpoint]` makes every name), so
/// that writing a plain name is a copy instead of a pass of the
/// percent-encoder over every name of every call: 1,180 of the 12,960
/// instructions a two-recipient publish took to validate, encode and sign,
/// and 81,000 of 345,000 at 1000 recipients, where `toUserId` is written a
/// thousand times (BENCHMARKS.md). Any other name (a rename with
/// brackets, a bracketed `group[<id>]` built from data) is percent-encoded
/// when written. [`FormName::plain`] also insists that the name is plain.
///
/// ```
/// use api_core::encode::form::FormName;
///
/// const USER_ID: FormName<'static> = FormName::plain("userId");
/// assert_eq!(USER_ID.as_str(), "userId");
/// let built = String::from("group[a&b]");
/// assert_eq!(FormName::from(built.as_str()).as_str(), "group[a&b]");
/// ```
// Equal when the names are: whether one was checked plain changes how it
// is written, not what is written.
#[derive(Debug, Clone, Copy)]
pub struct FormName<'a> {
    text: &'a str,
    /// Made only of bytes the encoding leaves as they are.
    plain: bool,
}

impl<'a> FormName<'a> {
    /// A name of ASCII letters, digits, `*`, `-`, `.` and `_` only, written
    /// as it is.
    ///
    /// # Panics
    /// If `name` has any other byte; in a `const` block (`const {
    /// FormName::plain("userId") }`) that is a compile error.
    pub const fn plain(name: &'a str) -> Self {
        assert!(
            is_plain(name),
            "a plain form name has only ASCII letters, digits, `*`, `-`, `.` and `_`"
        );
        Self {
            text: name,
            plain: true,
        }
    }

    /// Any name: copied when it is plain, percent-encoded when it is not.
    /// In a `const` block, which it is costs nothing at run time.
    pub const fn new(name: &'a str) -> Self {
        Self {
            text: name,
            plain: is_plain(name),
        }
    }

    /// The name as given (not encoded).
    pub const fn as_str(&self) -> &'a str {
        self.text
    }
}

impl PartialEq for FormName<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}
impl Eq for FormName<'_> {}

impl<'a> From<&'a str> for FormName<'a> {
    fn from(name: &'a str) -> Self {
        Self::new(name)
    }
}

/// Percent-encodes `text` onto `out` exactly as `form_urlencoded`'s
/// `byte_serialize` does (the WHATWG form encoding: the unreserved bytes
/// as they are, a space as `+`, every other byte as `%XX` in capitals).
//
// Written here rather than taken from `form_urlencoded`, whose iterator
// yields one `&str` per escaped byte: two table lookups per byte and runs
// copied whole. Tests check it against `form_urlencoded` on every ASCII
// character, characters of two to four bytes, and mixed text; the
// instruction counts that decided it are in BENCHMARKS.md ("Issue 11's
// speed targets, remeasured": about 560 fewer per two-recipient publish).
fn push_encoded(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // Start of the run of unreserved bytes not yet copied. Such a run is
    // ASCII, so both its ends are character boundaries.
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if UNRESERVED[usize::from(byte)] {
            continue;
        }
        if start < i {
            out.push_str(&text[start..i]);
        }
        if byte == b' ' {
            out.push('+');
        } else {
            let at = 3 * usize::from(byte);
            out.push_str(&ESCAPES[at..at + 3]);
        }
        start = i + 1;
    }
    if start < bytes.len() {
        out.push_str(&text[start..]);
    }
}

/// [`is_unreserved`] of every byte value.
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = is_unreserved(byte as u8);
        byte += 1;
    }
    table
};

/// `%00%01…%FF`: the escape of byte `b` is `ESCAPES[3 * b..3 * b + 3]`.
static ESCAPES: &str = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    const BYTES: [u8; 768] = {
        let mut table = [0u8; 768];
        let mut byte = 0;
        while byte < 256 {
            table[3 * byte] = b'%';
            table[3 * byte + 1] = HEX[byte >> 4];
            table[3 * byte + 2] = HEX[byte & 0x0f];
            byte += 1;
        }
        table
    };
    match std::str::from_utf8(&BYTES) {
        Ok(text) => text,
        Err(_) => panic!("hex digits are ASCII"),
    }
};

/// A value that can be one form field: text, a number, a boolean, or an
/// optional or repeated one of those (`toUserId=a&toUserId=b`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a form field",
    label = "a form field must be text, a number, a bool, or an `Option` / `Vec` of those",
    note = "to send a struct or a map as a JSON string inside the form, mark the field `#[endpoint(json)]`"
)]
pub trait FormValue {
    /// Appends this value under `name` (nothing for `None`, one pair per
    /// element for a sequence).
    fn append_to(&self, name: FormName<'_>, form: &mut FormEncoder);
}

impl FormValue for str {
    fn append_to(&self, name: FormName<'_>, form: &mut FormEncoder) {
        form.pair(name, self)
    }
}
impl FormValue for String {
    fn append_to(&self, name: FormName<'_>, form: &mut FormEncoder) {
        form.pair(name, self)
    }
}
impl FormValue for Cow<'_, str> {
    fn append_to(&self, name: FormName<'_>, form: &mut FormEncoder) {
        form.pair(name, self)
    }
}
impl FormValue for bool {
    fn append_to(&self, name: FormName<'_>, form: &mut FormEncoder) {
        form.plain_pair(name, if *self { "true" } else { "false" })
    }
}

macro_rules! integer_form_value {
    ($($ty:ty),*) => {$(
        impl FormValue for $ty {
            fn append_to(&self, name: FormName<'_>, form: &mut FormEncoder) {
                form.plain_pair(name, itoa::Buffer::new().format(*self))
            }
        }
    )*};
}
integer_form_value!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl<T: FormValue + ?Sized> FormValue for &T {
    fn append_to(&self, name: FormName<'_>, form: &mut FormEncoder) {
        (**self).append_to(name, form)
    }
}
impl<T: FormValue> FormValue for Option<T> {
    fn append_to(&self, name: FormName<'_>, form: &mut FormEncoder) {
        if let Some(value) = self {
            value.append_to(name, form)
        }
    }
}
impl<T: FormValue> FormValue for [T] {
    fn append_to(&self, name: FormName<'_>, form: &mut FormEncoder) {
        for item in self {
            item.append_to(name, form)
        }
    }
}
impl<T: FormValue> FormValue for Vec<T> {
    fn append_to(&self, name: FormName<'_>, form: &mut FormEncoder) {
        self.as_slice().append_to(name, form)
    }
}

/// A map sent as bracketed form keys (`#[endpoint(bracketed)]`): each
/// entry is one field `name[key]=value`, as `/group/sync.json` sends
/// `group[<groupId>]=<groupName>`.
///
/// The whole field name is percent-encoded like a value, so a key holding
/// `&`, `=`, `[` or `]` cannot break the body (the brackets themselves are
/// sent as `%5B` / `%5D`, which form decoders read back as brackets).
/// Entries go in a deterministic order: a `BTreeMap` in key order, a `Vec`
/// of pairs in its own order. A `HashMap` is deliberately not accepted:
/// its order changes from run to run, and so would the body.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as bracketed form keys",
    label = "`bracketed` sends `name[key]=value` for each entry of a `BTreeMap` (in key order) or a `Vec` of `(key, value)` pairs (in their order)",
    note = "a `HashMap` is not accepted: its entries have no stable order, so the body would change from run to run"
)]
pub trait FormMap {
    /// Appends `name[key]=value` for every entry.
    fn append_entries(&self, name: &str, form: &mut FormEncoder);
}

fn append_entry<K: AsRef<str> + ?Sized, V: FormValue + ?Sized>(
    name: &str,
    key: &K,
    value: &V,
    form: &mut FormEncoder,
) {
    let key = key.as_ref();
    let mut field = String::with_capacity(name.len() + key.len() + 2);
    field.push_str(name);
    field.push('[');
    field.push_str(key);
    field.push(']');
    value.append_to(FormName::new(&field), form);
}

impl<K: AsRef<str>, V: FormValue> FormMap for std::collections::BTreeMap<K, V> {
    fn append_entries(&self, name: &str, form: &mut FormEncoder) {
        for (key, value) in self {
            append_entry(name, key, value, form);
        }
    }
}
impl<K: AsRef<str>, V: FormValue> FormMap for [(K, V)] {
    fn append_entries(&self, name: &str, form: &mut FormEncoder) {
        for (key, value) in self {
            append_entry(name, key, value, form);
        }
    }
}
impl<K: AsRef<str>, V: FormValue> FormMap for Vec<(K, V)> {
    fn append_entries(&self, name: &str, form: &mut FormEncoder) {
        self.as_slice().append_entries(name, form)
    }
}
impl<T: FormMap> FormMap for Option<T> {
    fn append_entries(&self, name: &str, form: &mut FormEncoder) {
        if let Some(map) = self {
            map.append_entries(name, form)
        }
    }
}
impl<T: FormMap + ?Sized> FormMap for &T {
    fn append_entries(&self, name: &str, form: &mut FormEncoder) {
        (**self).append_entries(name, form)
    }
}

/// A boolean the documentation types as `Int`: sent as `1` or `0`
/// (`isPersisted`, `verifyBlacklist`, ...). Fields marked
/// `#[endpoint(int_bool)]` are sent through it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `bool` or `Option<bool>`, so `int_bool` cannot apply to it",
    label = "`int_bool` sends a `bool` as 1 or 0"
)]
pub trait IntBool {
    /// The value as `1` / `0`, if present.
    fn as_int(&self) -> Option<u8>;
}
impl IntBool for bool {
    fn as_int(&self) -> Option<u8> {
        Some(u8::from(*self))
    }
}
impl IntBool for Option<bool> {
    fn as_int(&self) -> Option<u8> {
        self.map(u8::from)
    }
}

/// Several form fields held by one struct field (`#[endpoint(flatten)]`):
/// a [`Message`](crate::Message) writes both `objectName` and `content`.
pub trait FormFields {
    /// Appends every field.
    fn append_fields(&self, form: &mut FormEncoder) -> Result<(), EncodeError>;
}

/// An optional part writes its fields only when present (a group call's
/// bound notification message).
impl<T: FormFields> FormFields for Option<T> {
    fn append_fields(&self, form: &mut FormEncoder) -> Result<(), EncodeError> {
        match self {
            Some(part) => part.append_fields(form),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `form_urlencoded` writes for `text`.
    fn oracle(text: &str) -> String {
        form_urlencoded::byte_serialize(text.as_bytes()).collect()
    }

    fn ours(text: &str) -> String {
        let mut out = String::from("kept:");
        push_encoded(&mut out, text);
        out.strip_prefix("kept:").unwrap().to_owned()
    }

    #[test]
    fn every_character_is_encoded_as_form_urlencoded_encodes_it() {
        // Every ASCII character, and characters of two, three and four
        // bytes at the edges of their ranges.
        let mut characters: Vec<char> = (0u8..=0x7f).map(char::from).collect();
        characters.extend([
            '\u{80}',
            '\u{ff}',
            '\u{7ff}',
            '\u{800}',
            '中',
            '\u{fffd}',
            '\u{ffff}',
            '\u{10000}',
            '😀',
            '\u{10ffff}',
        ]);
        for c in characters {
            let text = c.to_string();
            assert_eq!(ours(&text), oracle(&text), "{c:?}");
        }
    }

    #[test]
    fn mixed_text_is_encoded_as_form_urlencoded_encodes_it() {
        for text in [
            "",
            "plain-text_1.2*",
            " leading and trailing ",
            "a&b=c+d%20e",
            "{\"content\":\"hello\",\"extra\":\"x\\ny\"}",
            "中文 and emoji 😀 mixed, é at the end é",
            "ééé",
            "%%%",
            "'quotes' \"double\" \r\n\t",
        ] {
            assert_eq!(ours(text), oracle(text), "{text:?}");
        }
    }

    #[test]
    fn sequences_repeat_the_key_and_none_is_left_out() {
        let mut form = FormEncoder::with_capacity(64);
        vec!["a".to_owned(), "b".to_owned()].append_to(FormName::plain("toUserId"), &mut form);
        None::<String>.append_to(FormName::plain("pushContent"), &mut form);
        Some(-1i32).append_to(FormName::plain("count"), &mut form);
        false.append_to(FormName::plain("disablePush"), &mut form);
        assert_eq!(
            form.finish(),
            "toUserId=a&toUserId=b&count=-1&disablePush=false"
        );
    }

    #[test]
    fn a_name_is_written_as_form_urlencoded_encodes_it() {
        // Plain names take the copy, the others the encoder; both must
        // write what `form_urlencoded` writes.
        for name in [
            "userId",
            "toUserId",
            "a-b.c_d*9",
            "",
            "a b&c=",
            "group[g1]",
            "中",
        ] {
            let mut form = FormEncoder::with_capacity(16);
            form.pair(FormName::new(name), "v");
            assert_eq!(form.finish(), format!("{}=v", oracle(name)), "{name:?}");
            assert_eq!(FormName::new(name).plain, is_plain(name), "{name:?}");
        }
        for name in ["userId", "a-b.c_d*9"] {
            let mut form = FormEncoder::with_capacity(16);
            form.pair(FormName::plain(name), "v");
            assert_eq!(form.finish(), format!("{name}=v"));
        }
        assert_eq!(FormName::plain("userId"), FormName::new("userId"));
    }

    #[test]
    fn a_name_that_needs_encoding_is_not_plain() {
        for name in ["a b", "group[g1]", "a&b", "a=b", "+", "%", "中", "\n"] {
            assert!(!is_plain(name), "{name:?}");
            let refused = std::panic::catch_unwind(|| FormName::plain(name));
            assert!(refused.is_err(), "{name:?} was taken as plain");
        }
    }

    #[test]
    fn bracketed_keys_are_encoded_like_values_and_ordered() {
        let groups: std::collections::BTreeMap<String, String> = [
            ("g2".to_owned(), "Second".to_owned()),
            ("g1".to_owned(), "First & 第一".to_owned()),
            ("a]b=c&d".to_owned(), "x".to_owned()),
        ]
        .into();
        let mut form = FormEncoder::with_capacity(64);
        "u1".append_to(FormName::plain("userId"), &mut form);
        groups.append_entries("group", &mut form);
        let body = form.finish();
        assert_eq!(
            body,
            "userId=u1&group%5Ba%5Db%3Dc%26d%5D=x&group%5Bg1%5D=First+%26+%E7%AC%AC%E4%B8%80&group%5Bg2%5D=Second"
        );
        let decoded: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(
            decoded[1..],
            [
                ("group[a]b=c&d]".to_owned(), "x".to_owned()),
                ("group[g1]".to_owned(), "First & 第一".to_owned()),
                ("group[g2]".to_owned(), "Second".to_owned()),
            ]
        );

        // Pairs keep their order; `None` sends nothing.
        let mut form = FormEncoder::with_capacity(64);
        vec![("r2", "Two"), ("r1", "One")].append_entries("chatroom", &mut form);
        None::<Vec<(String, String)>>.append_entries("chatroom", &mut form);
        assert_eq!(form.finish(), "chatroom%5Br2%5D=Two&chatroom%5Br1%5D=One");
    }

    #[test]
    fn special_characters_round_trip() {
        let nasty = [
            "a&b=c+d%20e",
            "quote\" and ' apostrophe",
            "line\nbreak\r\n",
            "中文 用户",
            "emoji 😀👍🏽",
            "%",
            "+ +",
            "",
        ];
        let mut form = FormEncoder::with_capacity(64);
        for (index, value) in nasty.iter().enumerate() {
            value.append_to(FormName::new(&format!("k{index}&=")), &mut form);
        }
        let body = form.finish();
        assert!(
            !body.contains(' ') && !body.contains('\n') && !body.contains('"'),
            "{body}"
        );
        let decoded: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        let expected: Vec<(String, String)> = nasty
            .iter()
            .enumerate()
            .map(|(index, value)| (format!("k{index}&="), (*value).to_owned()))
            .collect();
        assert_eq!(decoded, expected);
    }
}
