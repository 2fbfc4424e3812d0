//! Attribute arguments parsed into typed values, each remembering the span
//! of the tokens it came from so that later errors point at them.
//!
//! Every attribute list (`#[endpoint(...)]` on a struct or on a field,
//! `rate_limit(...)`, `#[validate(...)]`, `#[setters(...)]`) is described
//! by one table of [`Key`]s. [`parse_list`] reads any list against its
//! table: the table alone decides which keys exist (and so the "expected
//! one of" list of an unknown key), which may repeat, and how each value
//! parses; unknown and duplicated keys are reported there and nowhere else.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned as _;
use syn::{Expr, ExprLit, ExprUnary, Ident, Lit, Token, UnOp};

use crate::ctxt::Ctxt;

/// A value and the span of its tokens.
#[derive(Clone)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

// ---------------------------------------------------------------------------
// The tables.

/// One key of an attribute list.
pub struct Key<T: 'static> {
    pub name: &'static str,
    /// Whether the key may be written more than once (`rate_limit`).
    pub repeatable: bool,
    /// Only in `#[endpoint(...)]`, not in `#[validate(...)]` (field keys
    /// that say how a field goes on the wire rather than what it must be).
    pub wire: bool,
    /// Parses what follows the key into the target. An `Err` is a syntax
    /// error, after which the rest of the list is unknown.
    pub parse: fn(&mut T, &Ident, ParseStream, &Ctxt) -> syn::Result<()>,
}

impl<T> Key<T> {
    const fn new(
        name: &'static str,
        parse: fn(&mut T, &Ident, ParseStream, &Ctxt) -> syn::Result<()>,
    ) -> Self {
        Self {
            name,
            repeatable: false,
            wire: false,
            parse,
        }
    }

    const fn repeatable(mut self) -> Self {
        self.repeatable = true;
        self
    }

    const fn wire(mut self) -> Self {
        self.wire = true;
        self
    }
}

/// An attribute list: its keys, and how messages name it.
pub struct List<T: 'static> {
    /// Like "`#[endpoint(...)]`".
    pub context: &'static str,
    pub keys: &'static [Key<T>],
    /// The message for an unknown key, from its name and the expected keys,
    /// when the list words it its own way.
    pub unknown: Option<fn(&str, &str) -> String>,
}

/// What [`parse_list`] saw besides the values it stored.
#[derive(Default)]
pub struct Seen {
    /// Every known key that was written, even with a bad value (so a bad
    /// value is not reported a second time as a missing key).
    pub keys: BTreeSet<&'static str>,
    /// An unknown key was reported (a required key may only be misspelled).
    pub unknown: bool,
}

/// The keys of `list` that `filter` admits, as messages list them:
/// "`path`, `encoding`, ...".
pub fn expected<T>(list: &List<T>, filter: impl Fn(&Key<T>) -> bool) -> String {
    list.keys
        .iter()
        .filter(|key| filter(key))
        .map(|key| format!("`{}`", key.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses `key = value, flag, key(...), ...` against `list`, storing values
/// in `target`. Unknown and duplicated keys are reported and skipped, so
/// parsing goes on. `seen` is shared by the attributes of one item (two
/// `#[endpoint(...)]` on one field make one list).
pub fn parse_list<T>(
    input: ParseStream,
    list: &List<T>,
    filter: &dyn Fn(&Key<T>) -> bool,
    target: &mut T,
    seen: &mut Seen,
    cx: &Ctxt,
) -> syn::Result<()> {
    while !input.is_empty() {
        let ident = input.call(Ident::parse_any)?;
        let name = ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name);
        match list.keys.iter().find(|key| key.name == name && filter(key)) {
            None => {
                let expected = expected(list, filter);
                let message = match list.unknown {
                    Some(unknown) => unknown(name, &expected),
                    None => format!(
                        "unknown argument `{name}` in {}; expected one of {expected}",
                        list.context
                    ),
                };
                cx.error(ident.span(), message);
                seen.unknown = true;
                skip_value(input)?;
            }
            Some(key) if !seen.keys.insert(key.name) && !key.repeatable => {
                cx.error(
                    ident.span(),
                    format!("duplicate `{name}` in {}", list.context),
                );
                skip_value(input)?;
            }
            Some(key) => (key.parse)(target, &ident, input, cx)?,
        }
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(())
}

/// Parses every attribute named `name` in `attrs` as one list.
fn parse_attrs<T>(
    attrs: &[syn::Attribute],
    name: &str,
    list: &List<T>,
    filter: &dyn Fn(&Key<T>) -> bool,
    target: &mut T,
    cx: &Ctxt,
) -> Seen {
    let mut seen = Seen::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(name)) {
        let tokens = match attr.meta.require_list() {
            Ok(meta) => meta.tokens.clone(),
            Err(error) => {
                cx.syn_error(error);
                continue;
            }
        };
        let parser = |input: ParseStream| parse_list(input, list, filter, target, &mut seen, cx);
        if let Err(error) = parser.parse2(tokens) {
            cx.syn_error(error);
        }
    }
    seen
}

// ---------------------------------------------------------------------------
// Values.

/// Skips what follows a key (`= value`, `(...)`, anything) up to the next
/// top-level comma.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

fn value_expr(key: &Ident, input: ParseStream, example: &str) -> syn::Result<Expr> {
    if !input.peek(Token![=]) {
        return Err(syn::Error::new(
            key.span(),
            format!("`{key}` needs a value, like `{example}`"),
        ));
    }
    input.parse::<Token![=]>()?;
    input.parse()
}

/// `= <something syn parses>`, such as a path or a type; `what` names it
/// in the message when the `=` is missing.
fn parsed_value<V: syn::parse::Parse>(
    key: &Ident,
    input: ParseStream,
    what: &str,
) -> syn::Result<V> {
    if !input.peek(Token![=]) {
        return Err(syn::Error::new(key.span(), format!("`{key}` needs {what}")));
    }
    input.parse::<Token![=]>()?;
    input.parse()
}

fn string_value(
    key: &Ident,
    input: ParseStream,
    cx: &Ctxt,
    example: &str,
) -> syn::Result<Option<Sp<String>>> {
    let expr = value_expr(key, input, example)?;
    match &expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(text),
            ..
        }) => Ok(Some(Sp::new(text.value(), text.span()))),
        other => {
            cx.error(
                other.span(),
                format!("`{key}` takes a string literal, like `{example}`"),
            );
            Ok(None)
        }
    }
}

fn int_value(
    key: &Ident,
    input: ParseStream,
    cx: &Ctxt,
    example: &str,
) -> syn::Result<Option<Sp<i128>>> {
    let expr = value_expr(key, input, example)?;
    let literal = |expr: &Expr| match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => int.base10_parse::<i128>().ok(),
        _ => None,
    };
    let parsed = match &expr {
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr: inner,
            ..
        }) => literal(inner).map(|value| -value),
        other => literal(other),
    };
    match parsed {
        Some(value) => Ok(Some(Sp::new(value, expr.span()))),
        None => {
            cx.error(
                expr.span(),
                format!("`{key}` takes an integer literal, like `{example}`"),
            );
            Ok(None)
        }
    }
}

/// An integer literal that must fit in `T`; `out_of_range` says what `key`
/// must be when it does not.
fn narrowed<T: TryFrom<i128>>(
    key: &Ident,
    input: ParseStream,
    cx: &Ctxt,
    example: &str,
    out_of_range: &str,
) -> syn::Result<Option<Sp<T>>> {
    Ok(
        int_value(key, input, cx, example)?.and_then(|sp| match T::try_from(sp.value) {
            Ok(value) => Some(Sp::new(value, sp.span)),
            Err(_) => {
                cx.error(sp.span, format!("`{key}` {out_of_range}"));
                None
            }
        }),
    )
}

fn usize_value(
    key: &Ident,
    input: ParseStream,
    cx: &Ctxt,
    example: &str,
) -> syn::Result<Option<Sp<usize>>> {
    narrowed(key, input, cx, example, "must be a non-negative integer")
}

fn i64_value(
    key: &Ident,
    input: ParseStream,
    cx: &Ctxt,
    example: &str,
) -> syn::Result<Option<Sp<i64>>> {
    narrowed(key, input, cx, example, "must fit in an i64")
}

/// `crate = "path"`: the path of the runtime crate for a user who renamed
/// the dependency (serde's `#[serde(crate = "...")]`).
fn crate_value(key: &Ident, input: ParseStream, cx: &Ctxt) -> syn::Result<Option<syn::Path>> {
    const EXAMPLE: &str = "crate = \"api_core\"";
    let Some(text) = string_value(key, input, cx, EXAMPLE)? else {
        return Ok(None);
    };
    match syn::LitStr::new(&text.value, text.span).parse::<syn::Path>() {
        Ok(path) => Ok(Some(path)),
        Err(_) => {
            cx.error(
                text.span,
                format!("`crate` takes the path of the api-core crate, like `{EXAMPLE}`"),
            );
            Ok(None)
        }
    }
}

fn flag(key: &Ident, input: ParseStream, cx: &Ctxt) -> syn::Result<Span> {
    if input.peek(Token![=]) {
        cx.error(
            key.span(),
            format!("`{key}` takes no value: write `{key}` alone"),
        );
        skip_value(input)?;
    }
    Ok(key.span())
}

// ---------------------------------------------------------------------------
// `#[endpoint(...)]` on the struct.

/// The wire encoding named by `encoding = "..."`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodingKind {
    Form,
    Json,
}

/// The HTTP method named by `method = "..."`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodKind {
    Post,
    Get,
}

/// `#[endpoint(...)]` on the struct.
#[derive(Default)]
pub struct EndpointAttrs {
    pub path: Option<Sp<String>>,
    pub encoding: Option<Sp<EncodingKind>>,
    pub method: Option<Sp<MethodKind>>,
    pub success_code: Option<Sp<i64>>,
    pub error_message: Option<Sp<String>>,
    pub max_recipients: Option<Sp<usize>>,
    pub response: Option<syn::Type>,
    pub check: Option<syn::Path>,
    pub idempotent: Option<Span>,
    /// `idempotent_unless = field`: idempotent while `field` is unset.
    pub idempotent_unless: Option<Ident>,
    pub rate_limits: Vec<Sp<RateLimitAttr>>,
    pub krate: Option<syn::Path>,
    /// What the list held besides values.
    pub seen: Seen,
    /// Parsing stopped at a syntax error; what follows it is unknown.
    pub aborted: bool,
}

impl EndpointAttrs {
    /// Whether `key` is missing (not written at all, nor lost after a
    /// syntax error).
    pub fn missing(&self, key: &str) -> bool {
        !self.aborted && !self.seen.keys.contains(key)
    }
}

pub const ENDPOINT: List<EndpointAttrs> = List {
    context: "`#[endpoint(...)]`",
    unknown: None,
    keys: &[
        Key::new("path", |a, key, input, cx| {
            a.path = string_value(key, input, cx, "path = \"/message/private/publish.json\"")?;
            Ok(())
        }),
        Key::new("encoding", |a, key, input, cx| {
            if let Some(text) = string_value(key, input, cx, "encoding = \"form\"")? {
                match text.value.as_str() {
                    "form" => a.encoding = Some(Sp::new(EncodingKind::Form, text.span)),
                    "json" => a.encoding = Some(Sp::new(EncodingKind::Json, text.span)),
                    other => cx.error(
                        text.span,
                        format!("unknown encoding \"{other}\"; expected \"form\" or \"json\""),
                    ),
                }
            }
            Ok(())
        }),
        Key::new("max_recipients", |a, key, input, cx| {
            a.max_recipients = usize_value(key, input, cx, "max_recipients = 1000")?;
            if let Some(max) = a.max_recipients.as_ref().filter(|max| max.value == 0) {
                cx.error(max.span, "`max_recipients` must be at least 1");
            }
            Ok(())
        }),
        Key::new("response", |a, key, input, _| {
            a.response = Some(parsed_value(
                key,
                input,
                "a type, like `response = MyResponse`",
            )?);
            Ok(())
        }),
        Key::new("check", |a, key, input, _| {
            a.check = Some(parsed_value(
                key,
                input,
                "a function path, like `check = Self::check`",
            )?);
            Ok(())
        }),
        Key::new("idempotent", |a, key, input, cx| {
            a.idempotent = Some(flag(key, input, cx)?);
            Ok(())
        }),
        Key::new("idempotent_unless", |a, key, input, cx| {
            match value_expr(key, input, "idempotent_unless = notification")? {
                Expr::Path(path) if path.path.get_ident().is_some() => {
                    a.idempotent_unless = path.path.get_ident().cloned();
                }
                other => cx.error(
                    other.span(),
                    "`idempotent_unless` names a field of the struct, like `idempotent_unless = notification`",
                ),
            }
            Ok(())
        }),
        Key::new("rate_limit", |a: &mut EndpointAttrs, key, input, cx| {
            if let Some(limit) = rate_limit(key, input, cx)? {
                a.rate_limits.push(limit);
            }
            Ok(())
        })
        .repeatable(),
        Key::new("crate", |a, key, input, cx| {
            a.krate = crate_value(key, input, cx)?;
            Ok(())
        }),
        Key::new("method", |a, key, input, cx| {
            if let Some(text) = string_value(key, input, cx, "method = \"GET\"")? {
                match text.value.as_str() {
                    "POST" => a.method = Some(Sp::new(MethodKind::Post, text.span)),
                    "GET" => a.method = Some(Sp::new(MethodKind::Get, text.span)),
                    other => cx.error(
                        text.span,
                        format!(
                            "unknown method \"{other}\"; expected \"POST\" (the default) or \"GET\""
                        ),
                    ),
                }
            }
            Ok(())
        }),
        Key::new("success_code", |a, key, input, cx| {
            a.success_code = i64_value(key, input, cx, "success_code = 10000")?;
            Ok(())
        }),
        Key::new("error_message", |a, key, input, cx| {
            a.error_message = string_value(key, input, cx, "error_message = \"msg\"")?;
            if let Some(empty) = a.error_message.as_ref().filter(|m| m.value.is_empty()) {
                cx.error(
                    empty.span,
                    "`error_message` names the JSON member holding an error's message, like `error_message = \"msg\"`",
                );
            }
            Ok(())
        }),
    ],
};

/// Parses the arguments of `#[endpoint(...)]` on the struct.
pub fn endpoint_attrs(tokens: TokenStream, cx: &Ctxt) -> EndpointAttrs {
    let mut attrs = EndpointAttrs::default();
    let mut seen = Seen::default();
    let parser =
        |input: ParseStream| parse_list(input, &ENDPOINT, &|_| true, &mut attrs, &mut seen, cx);
    if let Err(error) = parser.parse2(tokens) {
        cx.syn_error(error);
        attrs.aborted = true;
    }
    attrs.seen = seen;
    attrs
}

// ---------------------------------------------------------------------------
// `rate_limit(...)`.

/// What a rate limit counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateUnit {
    Calls,
    Recipients,
    /// The items of the field named by `counted_by`.
    Items,
}

/// `rate_limit(calls = N, per = minute)`, `rate_limit(recipients = N, per =
/// second)`, `rate_limit(items = N, per = second, counted_by = field)`.
#[derive(Clone)]
pub struct RateLimitAttr {
    pub unit: Sp<RateUnit>,
    pub amount: u32,
    /// The window in seconds.
    pub per_seconds: u64,
    /// The field whose items an `items` limit counts.
    pub counted_by: Option<Ident>,
}

/// A `rate_limit(...)` being parsed.
#[derive(Default)]
pub struct RateLimitParts {
    unit: Option<Sp<RateUnit>>,
    amount: Option<u32>,
    per: Option<u64>,
    counted_by: Option<Ident>,
    /// A value was wrong and reported: a missing part may only be the
    /// consequence.
    broken: bool,
}

const RATE_LIMIT_EXAMPLE: &str = "rate_limit(recipients = 6000, per = minute)";
const COUNTED_EXAMPLE: &str = "rate_limit(items = 20, per = second, counted_by = to_group_id)";

fn rate_count(
    parts: &mut RateLimitParts,
    unit: RateUnit,
    key: &Ident,
    input: ParseStream,
    cx: &Ctxt,
) -> syn::Result<()> {
    if parts.unit.is_some() {
        cx.error(
            key.span(),
            "a rate limit counts one thing: `calls`, `recipients` or `items`, not two",
        );
        parts.broken = true;
        return skip_value(input);
    }
    parts.unit = Some(Sp::new(unit, key.span()));
    match usize_value(key, input, cx, "calls = 60")? {
        Some(sp) if sp.value == 0 || sp.value > u32::MAX as usize => {
            cx.error(
                sp.span,
                format!("`{key}` must be between 1 and {}", u32::MAX),
            );
            parts.broken = true;
        }
        Some(sp) => parts.amount = Some(sp.value as u32),
        None => parts.broken = true,
    }
    Ok(())
}

pub const RATE_LIMIT: List<RateLimitParts> = List {
    context: "`rate_limit(...)`",
    unknown: None,
    keys: &[
        Key::new("calls", |p, key, input, cx| {
            rate_count(p, RateUnit::Calls, key, input, cx)
        }),
        Key::new("recipients", |p, key, input, cx| {
            rate_count(p, RateUnit::Recipients, key, input, cx)
        }),
        Key::new("items", |p, key, input, cx| {
            rate_count(p, RateUnit::Items, key, input, cx)
        }),
        Key::new("per", |p, key, input, cx| {
            let expr = value_expr(key, input, "per = minute")?;
            let seconds = match &expr {
                Expr::Path(path) => match path.path.get_ident().map(ToString::to_string).as_deref()
                {
                    Some("second") => Some(1),
                    Some("minute") => Some(60),
                    Some("hour") => Some(3600),
                    Some("day") => Some(86_400),
                    _ => None,
                },
                _ => None,
            };
            match seconds {
                Some(seconds) => p.per = Some(seconds),
                None => {
                    cx.error(
                        expr.span(),
                        "`per` is one of `second`, `minute`, `hour`, `day`",
                    );
                    p.broken = true;
                }
            }
            Ok(())
        }),
        Key::new("counted_by", |p: &mut RateLimitParts, key, input, cx| {
            match value_expr(key, input, "counted_by = to_group_id")? {
                Expr::Path(path) if path.path.get_ident().is_some() => {
                    p.counted_by = path.path.get_ident().cloned();
                }
                other => {
                    cx.error(
                        other.span(),
                        format!(
                            "`counted_by` names a field of the struct, like `{COUNTED_EXAMPLE}`"
                        ),
                    );
                    p.broken = true;
                }
            }
            Ok(())
        }),
    ],
};

/// Parses `rate_limit(calls | recipients | items = N, per = second | minute
/// | hour | day, counted_by = field)`.
fn rate_limit(
    key: &Ident,
    input: ParseStream,
    cx: &Ctxt,
) -> syn::Result<Option<Sp<RateLimitAttr>>> {
    if !input.peek(syn::token::Paren) {
        cx.error(
            key.span(),
            format!("`rate_limit` takes arguments, like `{RATE_LIMIT_EXAMPLE}`"),
        );
        skip_value(input)?;
        return Ok(None);
    }
    let content;
    syn::parenthesized!(content in input);
    let mut parts = RateLimitParts::default();
    let mut seen = Seen::default();
    parse_list(&content, &RATE_LIMIT, &|_| true, &mut parts, &mut seen, cx)?;
    // `counted_by` goes with `items`, and only with it.
    match (parts.unit.as_ref().map(|u| u.value), &parts.counted_by) {
        (Some(RateUnit::Items), None) => {
            let items = parts.unit.as_ref().map_or_else(|| key.span(), |u| u.span);
            cx.error(
                items,
                format!("a rate limit counted in `items` needs `counted_by = field`, the field whose items a call counts, like `{COUNTED_EXAMPLE}`"),
            );
            return Ok(None);
        }
        (Some(RateUnit::Calls | RateUnit::Recipients), Some(field)) => {
            cx.error(
                field.span(),
                "`counted_by` goes with `items = N`: `calls` count one a call, and `recipients` count the recipients field",
            );
            return Ok(None);
        }
        _ => {}
    }
    let (Some(unit), Some(amount), Some(per_seconds)) =
        (parts.unit.clone(), parts.amount, parts.per)
    else {
        if !parts.broken && !seen.unknown {
            let missing = match (parts.unit.is_some(), parts.per.is_some()) {
                (false, false) => {
                    "a count (`calls = N`, `recipients = N` or `items = N`) and a window (`per = ...`)"
                }
                (false, true) => "a count: `calls = N`, `recipients = N` or `items = N`",
                _ => "a window: `per = second | minute | hour | day`",
            };
            cx.error(
                key.span(),
                format!("`rate_limit` needs {missing}, like `{RATE_LIMIT_EXAMPLE}`"),
            );
        }
        return Ok(None);
    };
    Ok(Some(Sp::new(
        RateLimitAttr {
            unit,
            amount,
            per_seconds,
            counted_by: parts.counted_by,
        },
        key.span(),
    )))
}

// ---------------------------------------------------------------------------
// Field arguments.

/// Where field arguments come from: `#[endpoint(...)]` on an endpoint's
/// fields, or `#[validate(...)]` in `#[derive(Validate)]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Endpoint,
    Validate,
}

impl Mode {
    pub fn attr_name(self) -> &'static str {
        match self {
            Mode::Endpoint => "endpoint",
            Mode::Validate => "validate",
        }
    }
}

/// Field arguments.
#[derive(Default)]
pub struct FieldAttrs {
    pub rename: Option<Sp<String>>,
    pub recipients: Option<Span>,
    pub json: Option<Span>,
    pub flatten: Option<Span>,
    pub int_bool: Option<Span>,
    pub bracketed: Option<Span>,
    pub non_empty: Option<Span>,
    pub nested: Option<Span>,
    pub max_chars: Option<Sp<usize>>,
    pub max_bytes: Option<Sp<usize>>,
    pub min_items: Option<Sp<usize>>,
    pub max_items: Option<Sp<usize>>,
    pub min: Option<Sp<i64>>,
    pub max: Option<Sp<i64>>,
    pub len: Option<Sp<usize>>,
    pub chars: Option<Sp<CharClass>>,
}

impl FieldAttrs {
    /// The spans of every validation rule, with its name.
    pub fn rule_spans(&self) -> Vec<(&'static str, Span)> {
        [
            ("non_empty", self.non_empty),
            ("nested", self.nested),
            ("max_chars", self.max_chars.as_ref().map(|s| s.span)),
            ("max_bytes", self.max_bytes.as_ref().map(|s| s.span)),
            ("min_items", self.min_items.as_ref().map(|s| s.span)),
            ("max_items", self.max_items.as_ref().map(|s| s.span)),
            ("min", self.min.as_ref().map(|s| s.span)),
            ("max", self.max.as_ref().map(|s| s.span)),
            ("len", self.len.as_ref().map(|s| s.span)),
            ("chars", self.chars.as_ref().map(|s| s.span)),
        ]
        .into_iter()
        .filter_map(|(name, span)| Some((name, span?)))
        .collect()
    }
}

pub const FIELD: List<FieldAttrs> = List {
    // Replaced by the attribute's own name in messages (see `field_list`).
    context: "",
    unknown: None,
    keys: &[
        Key::new("rename", |a: &mut FieldAttrs, key, input, cx| {
            a.rename = string_value(key, input, cx, "rename = \"wireName\"")?;
            Ok(())
        })
        .wire(),
        Key::new("recipients", |a: &mut FieldAttrs, key, input, cx| {
            a.recipients = Some(flag(key, input, cx)?);
            Ok(())
        })
        .wire(),
        Key::new("json", |a: &mut FieldAttrs, key, input, cx| {
            a.json = Some(flag(key, input, cx)?);
            Ok(())
        })
        .wire(),
        Key::new("flatten", |a: &mut FieldAttrs, key, input, cx| {
            a.flatten = Some(flag(key, input, cx)?);
            Ok(())
        })
        .wire(),
        Key::new("int_bool", |a: &mut FieldAttrs, key, input, cx| {
            a.int_bool = Some(flag(key, input, cx)?);
            Ok(())
        })
        .wire(),
        Key::new("bracketed", |a: &mut FieldAttrs, key, input, cx| {
            a.bracketed = Some(flag(key, input, cx)?);
            Ok(())
        })
        .wire(),
        Key::new("non_empty", |a, key, input, cx| {
            a.non_empty = Some(flag(key, input, cx)?);
            Ok(())
        }),
        Key::new("nested", |a, key, input, cx| {
            a.nested = Some(flag(key, input, cx)?);
            Ok(())
        }),
        Key::new("max_chars", |a, key, input, cx| {
            a.max_chars = usize_value(key, input, cx, "max_chars = 50")?;
            Ok(())
        }),
        Key::new("max_bytes", |a, key, input, cx| {
            a.max_bytes = usize_value(key, input, cx, "max_bytes = 40")?;
            Ok(())
        }),
        Key::new("min_items", |a, key, input, cx| {
            a.min_items = usize_value(key, input, cx, "min_items = 1")?;
            Ok(())
        }),
        Key::new("max_items", |a, key, input, cx| {
            a.max_items = usize_value(key, input, cx, "max_items = 20")?;
            Ok(())
        }),
        Key::new("min", |a, key, input, cx| {
            a.min = i64_value(key, input, cx, "min = -1")?;
            Ok(())
        }),
        Key::new("max", |a, key, input, cx| {
            a.max = i64_value(key, input, cx, "max = 9999")?;
            Ok(())
        }),
        Key::new("len", |a, key, input, cx| {
            a.len = usize_value(key, input, cx, "len = 10")?;
            if let Some(zero) = a.len.as_ref().filter(|len| len.value == 0) {
                cx.error(
                    zero.span,
                    "`len` must be at least 1; for an empty text there is nothing to send",
                );
            }
            Ok(())
        }),
        Key::new("chars", |a, key, input, cx| {
            if let Some(text) = string_value(key, input, cx, "chars = \"alnum\"")? {
                match CharClass::parse(&text.value) {
                    Ok(class) => a.chars = Some(Sp::new(class, text.span)),
                    Err(why) => cx.error(
                        text.span,
                        format!("{why}; `chars` is \"digits\", \"alpha\", \"alnum\", or the ASCII characters and ranges allowed, like \"A-Za-z0-9+=-_\""),
                    ),
                }
            }
            Ok(())
        }),
    ],
};

/// The characters a `chars` rule allows: a named class, or ASCII
/// characters and ranges. A `-` is a range only between two lowercase
/// letters, two uppercase letters or two digits (`a-z`, `A-F`, `0-9`), and
/// elsewhere itself, so the documentation's `A-Za-z0-9+=-_` reads as
/// written: letters, digits, `+`, `=`, `-` and `_`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CharClass {
    Digits,
    Alpha,
    Alnum,
    /// The bits of the allowed ASCII codes, and the set as written.
    Set {
        ascii: u128,
        spec: String,
    },
}

impl CharClass {
    pub fn parse(spec: &str) -> Result<Self, String> {
        match spec {
            "digits" => return Ok(Self::Digits),
            "alpha" => return Ok(Self::Alpha),
            "alnum" => return Ok(Self::Alnum),
            "" => return Err("an empty `chars` allows nothing".to_owned()),
            // A word is a misspelled class far more often than a set of
            // exactly those letters (which a range can say: "a-c").
            word if word.len() > 2 && word.bytes().all(|b| b.is_ascii_lowercase()) => {
                return Err(format!("unknown character class \"{word}\""));
            }
            _ => {}
        }
        let chars: Vec<char> = spec.chars().collect();
        if let Some(bad) = chars.iter().find(|c| !c.is_ascii_graphic()) {
            return Err(format!(
                "{bad:?} is not a visible ASCII character (a set holds ASCII only)"
            ));
        }
        let mut ascii = 0u128;
        let mut i = 0;
        while i < chars.len() {
            let same_kind = |a: char, b: char| {
                (a.is_ascii_lowercase() && b.is_ascii_lowercase())
                    || (a.is_ascii_uppercase() && b.is_ascii_uppercase())
                    || (a.is_ascii_digit() && b.is_ascii_digit())
            };
            if i + 2 < chars.len() && chars[i + 1] == '-' && same_kind(chars[i], chars[i + 2]) {
                let (from, to) = (chars[i], chars[i + 2]);
                if from > to {
                    return Err(format!("the range `{from}-{to}` runs backwards"));
                }
                for c in from..=to {
                    ascii |= 1 << (c as u32);
                }
                i += 3;
            } else {
                ascii |= 1 << (chars[i] as u32);
                i += 1;
            }
        }
        Ok(Self::Set {
            ascii,
            spec: spec.to_owned(),
        })
    }
}

/// The field list as `#[endpoint(...)]` or `#[validate(...)]` names it.
fn field_list(mode: Mode) -> List<FieldAttrs> {
    List {
        context: match mode {
            Mode::Endpoint => "`#[endpoint(...)]`",
            Mode::Validate => "`#[validate(...)]`",
        },
        ..FIELD
    }
}

/// Parses every `#[endpoint(...)]` / `#[validate(...)]` on a field.
pub fn field_attrs(attrs: &[syn::Attribute], mode: Mode, cx: &Ctxt) -> FieldAttrs {
    let mut parsed = FieldAttrs::default();
    let list = field_list(mode);
    let filter = |key: &Key<FieldAttrs>| mode == Mode::Endpoint || !key.wire;
    parse_attrs(attrs, mode.attr_name(), &list, &filter, &mut parsed, cx);
    parsed
}

// ---------------------------------------------------------------------------
// `#[derive(Validate)]` on the struct.

/// `#[validate(...)]` on a derived struct.
#[derive(Default)]
pub struct ValidateAttrs {
    pub check: Option<syn::Path>,
    pub krate: Option<syn::Path>,
}

pub const VALIDATE: List<ValidateAttrs> = List {
    context: "`#[validate(...)]` on a struct",
    unknown: None,
    keys: &[
        Key::new("check", |a, key, input, _| {
            a.check = Some(parsed_value(
                key,
                input,
                "a function path, like `check = Self::check`",
            )?);
            Ok(())
        }),
        Key::new("crate", |a, key, input, cx| {
            a.krate = crate_value(key, input, cx)?;
            Ok(())
        }),
    ],
};

/// Parses `#[validate(check = path)]` on a derived struct.
pub fn validate_attrs(attrs: &[syn::Attribute], cx: &Ctxt) -> ValidateAttrs {
    let mut parsed = ValidateAttrs::default();
    parse_attrs(attrs, "validate", &VALIDATE, &|_| true, &mut parsed, cx);
    parsed
}

// ---------------------------------------------------------------------------
// `#[derive(Setters)]`.

/// `#[setters(...)]` on a field of a `#[derive(Setters)]` struct.
#[derive(Default)]
pub struct SetterAttrs {
    /// `skip`: no setter for this field.
    pub skip: Option<Span>,
}

pub const SETTER: List<SetterAttrs> = List {
    context: "`#[setters(...)]`",
    unknown: Some(|name, expected| {
        format!("unknown setters argument `{name}`; expected {expected}")
    }),
    keys: &[Key::new("skip", |a, key, input, cx| {
        a.skip = Some(flag(key, input, cx)?);
        Ok(())
    })],
};

/// Parses every `#[setters(...)]` on a field.
pub fn setter_attrs(attrs: &[syn::Attribute], cx: &Ctxt) -> SetterAttrs {
    let mut parsed = SetterAttrs::default();
    parse_attrs(attrs, "setters", &SETTER, &|_| true, &mut parsed, cx);
    parsed
}

/// `#[setters(...)]` on a `#[derive(Setters)]` struct.
#[derive(Default)]
pub struct SettersAttrs {
    /// Accepted so that a renamed dependency is written the same way on
    /// every derive; setters name nothing from the runtime crate.
    pub krate: Option<syn::Path>,
}

pub const SETTERS: List<SettersAttrs> = List {
    context: "`#[setters(...)]` on a struct",
    // `skip` and any other field argument written on the struct.
    unknown: Some(|_, _| {
        "`#[setters(...)]` goes on a field, not on the struct: write `#[setters(skip)]` above a field to leave it without a setter".to_owned()
    }),
    keys: &[Key::new("crate", |a, key, input, cx| {
        a.krate = crate_value(key, input, cx)?;
        Ok(())
    })],
};

/// Parses `#[setters(crate = "...")]` on a derived struct.
pub fn setters_attrs(attrs: &[syn::Attribute], cx: &Ctxt) -> SettersAttrs {
    let mut parsed = SettersAttrs::default();
    parse_attrs(attrs, "setters", &SETTERS, &|_| true, &mut parsed, cx);
    parsed
}

// ---------------------------------------------------------------------------
// `#[derive(IntEnum)]`.

/// `#[int_enum(...)]` on an enum.
#[derive(Default)]
pub struct IntEnumAttrs {
    pub krate: Option<syn::Path>,
}

pub const INT_ENUM: List<IntEnumAttrs> = List {
    context: "`#[int_enum(...)]`",
    unknown: None,
    keys: &[Key::new("crate", |a, key, input, cx| {
        a.krate = crate_value(key, input, cx)?;
        Ok(())
    })],
};

/// Parses `#[int_enum(crate = "...")]`.
pub fn int_enum_attrs(attrs: &[syn::Attribute], cx: &Ctxt) -> IntEnumAttrs {
    let mut parsed = IntEnumAttrs::default();
    parse_attrs(attrs, "int_enum", &INT_ENUM, &|_| true, &mut parsed, cx);
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn endpoint(tokens: TokenStream) -> (EndpointAttrs, Result<(), String>) {
        let cx = Ctxt::new();
        let attrs = endpoint_attrs(tokens, &cx);
        let result = cx.check().map_err(|errors| errors.to_string());
        (attrs, result)
    }

    #[test]
    fn every_struct_key_parses_into_its_typed_value() {
        let (attrs, result) = endpoint(quote!(
            path = "/a.json",
            encoding = "json",
            max_recipients = 3,
            response = Answer,
            check = Self::check,
            idempotent,
            rate_limit(calls = 2, per = hour),
            rate_limit(recipients = 10, per = second)
        ));
        assert!(result.is_ok(), "{result:?}");
        let (unless, result) = endpoint(quote!(path = "/a.json", idempotent_unless = notification));
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(unless.idempotent_unless.unwrap(), "notification");
        let (_, result) = endpoint(quote!(path = "/a.json", idempotent_unless = "notification"));
        assert!(result.unwrap_err().contains("names a field of the struct"));
        assert_eq!(attrs.path.unwrap().value, "/a.json");
        assert_eq!(attrs.encoding.unwrap().value, EncodingKind::Json);
        assert_eq!(attrs.max_recipients.unwrap().value, 3);
        assert!(attrs.response.is_some() && attrs.check.is_some());
        assert!(attrs.idempotent.is_some());
        let limits: Vec<(RateUnit, u32, u64)> = attrs
            .rate_limits
            .iter()
            .map(|l| (l.value.unit.value, l.value.amount, l.value.per_seconds))
            .collect();
        assert_eq!(
            limits,
            [(RateUnit::Calls, 2, 3600), (RateUnit::Recipients, 10, 1)]
        );
    }

    #[test]
    fn unknown_and_duplicate_keys_are_reported_and_parsing_goes_on() {
        let (attrs, result) = endpoint(quote!(
            path = "/a.json",
            timeout = 5,
            path = "/b.json",
            encoding = "form"
        ));
        let errors = result.unwrap_err();
        assert!(errors.contains("unknown argument `timeout`"), "{errors}");
        assert!(errors.contains("duplicate `path`"), "{errors}");
        assert_eq!(attrs.path.unwrap().value, "/a.json");
        assert_eq!(attrs.encoding.unwrap().value, EncodingKind::Form);
        assert!(attrs.seen.unknown);
    }

    #[test]
    fn a_bad_value_counts_as_given() {
        let (attrs, result) = endpoint(quote!(path = 5, encoding = "form"));
        assert!(result.is_err());
        assert!(attrs.path.is_none());
        assert!(!attrs.missing("path"));
        assert!(attrs.missing("max_recipients"));
    }

    #[test]
    fn the_expected_list_comes_from_the_table() {
        assert_eq!(
            expected(&FIELD, |key: &Key<FieldAttrs>| !key.wire),
            "`non_empty`, `nested`, `max_chars`, `max_bytes`, `min_items`, `max_items`, `min`, `max`, `len`, `chars`"
        );
    }

    #[test]
    fn character_classes() {
        assert_eq!(CharClass::parse("digits"), Ok(CharClass::Digits));
        let Ok(CharClass::Set { ascii, spec }) = CharClass::parse("A-Za-z0-9+=-_") else {
            panic!()
        };
        assert_eq!(spec, "A-Za-z0-9+=-_");
        let allowed: String = (0u8..128)
            .filter(|c| ascii & (1 << c) != 0)
            .map(char::from)
            .collect();
        assert_eq!(
            allowed,
            "+-0123456789=ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
        );
        let Ok(CharClass::Set { ascii, .. }) = CharClass::parse("-a") else {
            panic!()
        };
        assert_eq!(ascii, 1 << b'-' | 1 << b'a');
        assert!(CharClass::parse("z-a").unwrap_err().contains("backwards"));
        assert!(
            CharClass::parse("letters")
                .unwrap_err()
                .contains("unknown character class")
        );
        assert!(CharClass::parse("ab").is_ok());
        assert!(CharClass::parse("a b").unwrap_err().contains("' '"));
        assert!(CharClass::parse("群").is_err());
        assert!(CharClass::parse("").is_err());
    }

    #[test]
    fn counted_rate_limits() {
        let (attrs, result) = endpoint(quote!(
            path = "/g.json",
            encoding = "form",
            rate_limit(items = 20, per = second, counted_by = to_group_id)
        ));
        assert!(result.is_ok(), "{result:?}");
        let limit = &attrs.rate_limits[0].value;
        assert_eq!(limit.unit.value, RateUnit::Items);
        assert_eq!(limit.counted_by.as_ref().unwrap(), "to_group_id");

        let (attrs, result) = endpoint(quote!(
            path = "/g.json",
            encoding = "form",
            rate_limit(items = 20, per = second),
            rate_limit(calls = 20, per = second, counted_by = x)
        ));
        let errors = result.unwrap_err();
        assert!(errors.contains("needs `counted_by = field`"), "{errors}");
        assert!(
            errors.contains("`counted_by` goes with `items = N`"),
            "{errors}"
        );
        assert!(attrs.rate_limits.is_empty());
    }

    #[test]
    fn validate_mode_refuses_wire_keys() {
        let cx = Ctxt::new();
        let field: syn::Field =
            syn::parse_quote!(#[validate(rename = "x", max_chars = 3)] pub a: String);
        let attrs = field_attrs(&field.attrs, Mode::Validate, &cx);
        let errors = cx.check().unwrap_err().to_string();
        assert!(
            errors.contains("unknown argument `rename` in `#[validate(...)]`"),
            "{errors}"
        );
        assert_eq!(attrs.max_chars.unwrap().value, 3);
    }
}
