//! Attributes parsed into a typed model. Each value keeps the span of the
//! tokens it came from, so later errors point at them.

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned as _;
use syn::{Expr, ExprLit, ExprUnary, Ident, Lit, Token, UnOp};

/// A value and the span of its tokens.
#[derive(Clone)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

/// Collects errors so one compile reports every mistake.
#[derive(Default)]
pub struct Errors(Vec<syn::Error>);

impl Errors {
    pub fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        self.0.push(syn::Error::new(span, message));
    }

    pub fn push_error(&mut self, error: syn::Error) {
        self.0.push(error);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An error spanning all of `tokens` (a whole type, say), not only
    /// their first token.
    pub fn push_spanned(&mut self, tokens: impl quote::ToTokens, message: impl std::fmt::Display) {
        self.0.push(syn::Error::new_spanned(tokens, message));
    }

    pub fn to_compile_errors(&self) -> TokenStream {
        self.0.iter().map(syn::Error::to_compile_error).collect()
    }
}

/// The wire encoding named by `encoding = "..."`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum EncodingKind {
    Form,
    Json,
}

/// `#[endpoint(...)]` on the struct.
#[derive(Default)]
pub struct EndpointArgs {
    pub path: Option<Sp<String>>,
    pub encoding: Option<Sp<EncodingKind>>,
    pub max_recipients: Option<Sp<usize>>,
    pub response: Option<syn::Type>,
    pub check: Option<syn::Path>,
    pub idempotent: Option<Span>,
    pub rate_limits: Vec<Sp<RateLimitArg>>,
    /// Every known key that was written, even with a bad value, so that a
    /// bad value is not reported a second time as a missing key.
    pub given: HashSet<&'static str>,
    /// Parsing stopped at a syntax error; what follows it is unknown.
    pub aborted: bool,
}

/// What a rate limit counts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RateUnit {
    Calls,
    Recipients,
}

/// `rate_limit(calls = N, per = minute)` / `rate_limit(recipients = N, per = second)`.
#[derive(Clone)]
pub struct RateLimitArg {
    pub unit: Sp<RateUnit>,
    pub amount: u32,
    /// The window in seconds.
    pub per_seconds: u64,
}

/// Where field arguments come from: `#[endpoint(...)]` on an endpoint's
/// fields, or `#[validate(...)]` in `#[derive(Validate)]`.
#[derive(Clone, Copy, PartialEq, Eq)]
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
pub struct FieldArgs {
    pub rename: Option<Sp<String>>,
    pub recipients: Option<Span>,
    pub json: Option<Span>,
    pub flatten: Option<Span>,
    pub int_bool: Option<Span>,
    pub non_empty: Option<Span>,
    pub nested: Option<Span>,
    pub max_chars: Option<Sp<usize>>,
    pub max_bytes: Option<Sp<usize>>,
    pub min_items: Option<Sp<usize>>,
    pub max_items: Option<Sp<usize>>,
    pub min: Option<Sp<i64>>,
    pub max: Option<Sp<i64>>,
}

impl FieldArgs {
    /// The spans of every validation rule, with its name.
    pub fn rule_spans(&self) -> Vec<(&'static str, Span)> {
        let mut spans = Vec::new();
        let mut add = |name, span: Option<Span>| {
            if let Some(span) = span {
                spans.push((name, span));
            }
        };
        add("non_empty", self.non_empty);
        add("nested", self.nested);
        add("max_chars", self.max_chars.as_ref().map(|s| s.span));
        add("max_bytes", self.max_bytes.as_ref().map(|s| s.span));
        add("min_items", self.min_items.as_ref().map(|s| s.span));
        add("max_items", self.max_items.as_ref().map(|s| s.span));
        add("min", self.min.as_ref().map(|s| s.span));
        add("max", self.max.as_ref().map(|s| s.span));
        spans
    }
}

const ENDPOINT_KEYS: &str =
    "`path`, `encoding`, `max_recipients`, `response`, `check`, `idempotent`, `rate_limit`";
/// The keys of `#[endpoint(...)]` on the struct, for [`EndpointArgs::given`].
const ENDPOINT_KEY_NAMES: &[&str] = &[
    "path",
    "encoding",
    "max_recipients",
    "response",
    "check",
    "idempotent",
    "rate_limit",
];
/// Keys that may appear more than once.
const REPEATABLE_KEYS: &[&str] = &["rate_limit"];
const ENDPOINT_FIELD_KEYS: &str = "`rename`, `recipients`, `json`, `flatten`, `int_bool`, `non_empty`, `nested`, `max_chars`, `max_bytes`, `min_items`, `max_items`, `min`, `max`";
const VALIDATE_FIELD_KEYS: &str =
    "`non_empty`, `nested`, `max_chars`, `max_bytes`, `min_items`, `max_items`, `min`, `max`";

/// Parses `key = value, flag, ...`, calling `on_key` for each key with the
/// stream positioned after it. Unknown keys and duplicates are reported and
/// skipped, so parsing goes on. `context` names the list in messages, like
/// "`#[endpoint(...)]`"; `seen` holds the keys already given, shared by the
/// attributes of one field.
fn parse_keys(
    input: ParseStream,
    seen: &mut HashSet<String>,
    errors: &mut Errors,
    mut on_key: impl FnMut(&Ident, ParseStream, &mut Errors) -> syn::Result<bool>,
    expected: &str,
    context: &str,
) -> syn::Result<()> {
    while !input.is_empty() {
        let key = input.call(Ident::parse_any)?;
        let name = key.to_string();
        if !seen.insert(name.clone()) && !REPEATABLE_KEYS.contains(&name.as_str()) {
            errors.push(key.span(), format!("duplicate `{name}` in {context}"));
            skip_value(input)?;
        } else if !on_key(&key, input, errors)? {
            errors.push(
                key.span(),
                format!("unknown argument `{name}` in {context}; expected one of {expected}"),
            );
            skip_value(input)?;
        }
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(())
}

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

fn string_value(
    key: &Ident,
    input: ParseStream,
    errors: &mut Errors,
    example: &str,
) -> syn::Result<Option<Sp<String>>> {
    let expr = value_expr(key, input, example)?;
    match &expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(text),
            ..
        }) => Ok(Some(Sp {
            value: text.value(),
            span: text.span(),
        })),
        other => {
            errors.push(
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
    errors: &mut Errors,
    example: &str,
) -> syn::Result<Option<Sp<i128>>> {
    let expr = value_expr(key, input, example)?;
    let parsed = match &expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => int.base10_parse::<i128>().ok(),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr: inner,
            ..
        }) => match &**inner {
            Expr::Lit(ExprLit {
                lit: Lit::Int(int), ..
            }) => int.base10_parse::<i128>().ok().map(|v| -v),
            _ => None,
        },
        _ => None,
    };
    match parsed {
        Some(value) => Ok(Some(Sp {
            value,
            span: expr.span(),
        })),
        None => {
            errors.push(
                expr.span(),
                format!("`{key}` takes an integer literal, like `{example}`"),
            );
            Ok(None)
        }
    }
}

fn usize_value(
    key: &Ident,
    input: ParseStream,
    errors: &mut Errors,
    example: &str,
) -> syn::Result<Option<Sp<usize>>> {
    narrowed(
        key,
        input,
        errors,
        example,
        "must be a non-negative integer",
    )
}

fn i64_value(
    key: &Ident,
    input: ParseStream,
    errors: &mut Errors,
    example: &str,
) -> syn::Result<Option<Sp<i64>>> {
    narrowed(key, input, errors, example, "must fit in an i64")
}

/// An integer literal that must fit in `T`; `out_of_range` says what `key`
/// must be when it does not.
fn narrowed<T: TryFrom<i128>>(
    key: &Ident,
    input: ParseStream,
    errors: &mut Errors,
    example: &str,
    out_of_range: &str,
) -> syn::Result<Option<Sp<T>>> {
    Ok(
        int_value(key, input, errors, example)?.and_then(|sp| match T::try_from(sp.value) {
            Ok(value) => Some(Sp {
                value,
                span: sp.span,
            }),
            Err(_) => {
                errors.push(sp.span, format!("`{key}` {out_of_range}"));
                None
            }
        }),
    )
}

fn flag(key: &Ident, input: ParseStream, errors: &mut Errors) -> syn::Result<Span> {
    if input.peek(Token![=]) {
        errors.push(
            key.span(),
            format!("`{key}` takes no value: write `{key}` alone"),
        );
        skip_value(input)?;
    }
    Ok(key.span())
}

/// Parses the arguments of `#[endpoint(...)]` on the struct.
pub fn parse_endpoint_args(tokens: TokenStream, errors: &mut Errors) -> EndpointArgs {
    let mut args = EndpointArgs::default();
    let parser = |input: ParseStream| {
        parse_keys(
            input,
            &mut HashSet::new(),
            errors,
            |key, input, errors| {
                let name = key.to_string();
                if let Some(known) = ENDPOINT_KEY_NAMES.iter().find(|known| **known == name) {
                    args.given.insert(known);
                }
                match name.as_str() {
                    "path" => {
                        args.path = string_value(
                            key,
                            input,
                            errors,
                            "path = \"/message/private/publish.json\"",
                        )?
                    }
                    "encoding" => {
                        if let Some(text) = string_value(key, input, errors, "encoding = \"form\"")?
                        {
                            match text.value.as_str() {
                                "form" => args.encoding = Some(Sp { value: EncodingKind::Form, span: text.span }),
                                "json" => args.encoding = Some(Sp { value: EncodingKind::Json, span: text.span }),
                                other => errors.push(
                                    text.span,
                                    format!("unknown encoding \"{other}\"; expected \"form\" or \"json\""),
                                ),
                            }
                        }
                    }
                    "max_recipients" => {
                        args.max_recipients =
                            usize_value(key, input, errors, "max_recipients = 1000")?;
                        if let Some(max) = &args.max_recipients {
                            if max.value == 0 {
                                errors.push(max.span, "`max_recipients` must be at least 1");
                            }
                        }
                    }
                    "response" => {
                        if !input.peek(Token![=]) {
                            return Err(syn::Error::new(
                                key.span(),
                                "`response` needs a type, like `response = MyResponse`",
                            ));
                        }
                        input.parse::<Token![=]>()?;
                        args.response = Some(input.parse()?);
                    }
                    "check" => {
                        if !input.peek(Token![=]) {
                            return Err(syn::Error::new(
                                key.span(),
                                "`check` needs a function path, like `check = Self::check`",
                            ));
                        }
                        input.parse::<Token![=]>()?;
                        args.check = Some(input.parse()?);
                    }
                    "idempotent" => args.idempotent = Some(flag(key, input, errors)?),
                    "rate_limit" => {
                        if let Some(limit) = rate_limit(key, input, errors)? {
                            args.rate_limits.push(limit);
                        }
                    }
                    _ => return Ok(false),
                }
                Ok(true)
            },
            ENDPOINT_KEYS,
            "`#[endpoint(...)]`",
        )
    };
    if let Err(error) = parser.parse2(tokens) {
        errors.push_error(error);
        args.aborted = true;
    }
    args
}

const RATE_LIMIT_EXAMPLE: &str = "rate_limit(recipients = 6000, per = minute)";

/// Parses `rate_limit(calls | recipients = N, per = second | minute | hour | day)`.
fn rate_limit(
    key: &Ident,
    input: ParseStream,
    errors: &mut Errors,
) -> syn::Result<Option<Sp<RateLimitArg>>> {
    if !input.peek(syn::token::Paren) {
        errors.push(
            key.span(),
            format!("`rate_limit` takes arguments, like `{RATE_LIMIT_EXAMPLE}`"),
        );
        skip_value(input)?;
        return Ok(None);
    }
    let content;
    syn::parenthesized!(content in input);
    let mut unit: Option<Sp<RateUnit>> = None;
    let mut amount: Option<u32> = None;
    let mut per: Option<u64> = None;
    let mut ok = true;
    parse_keys(
        &content,
        &mut HashSet::new(),
        errors,
        |inner, input, errors| {
            match inner.to_string().as_str() {
                name @ ("calls" | "recipients") => {
                    let kind = if name == "calls" {
                        RateUnit::Calls
                    } else {
                        RateUnit::Recipients
                    };
                    if unit.is_some() {
                        errors.push(
                            inner.span(),
                            "a rate limit counts either `calls` or `recipients`, not both",
                        );
                        ok = false;
                        skip_value(input)?;
                        return Ok(true);
                    }
                    unit = Some(Sp {
                        value: kind,
                        span: inner.span(),
                    });
                    match usize_value(inner, input, errors, "calls = 60")? {
                        Some(sp) if sp.value == 0 || sp.value > u32::MAX as usize => {
                            errors.push(
                                sp.span,
                                format!("`{name}` must be between 1 and {}", u32::MAX),
                            );
                            ok = false;
                        }
                        Some(sp) => amount = Some(sp.value as u32),
                        None => ok = false,
                    }
                }
                "per" => {
                    let expr = value_expr(inner, input, "per = minute")?;
                    let seconds = match &expr {
                        Expr::Path(path) if path.path.get_ident().is_some() => {
                            match path.path.get_ident().map(ToString::to_string).as_deref() {
                                Some("second") => Some(1),
                                Some("minute") => Some(60),
                                Some("hour") => Some(3600),
                                Some("day") => Some(86_400),
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                    match seconds {
                        Some(seconds) => per = Some(seconds),
                        None => {
                            errors.push(
                                expr.span(),
                                "`per` is one of `second`, `minute`, `hour`, `day`",
                            );
                            ok = false;
                        }
                    }
                }
                _ => {
                    // Reported as unknown; a count or window may be missing
                    // only because it was misspelled.
                    ok = false;
                    return Ok(false);
                }
            }
            Ok(true)
        },
        "`calls`, `recipients`, `per`",
        "`rate_limit(...)`",
    )?;
    let (Some(unit_sp), Some(amount), Some(per_seconds)) = (unit.clone(), amount, per) else {
        if ok {
            let missing = match (unit.is_some(), per.is_some()) {
                (false, false) => {
                    "a count (`calls = N` or `recipients = N`) and a window (`per = ...`)"
                }
                (false, true) => "a count: `calls = N` or `recipients = N`",
                _ => "a window: `per = second | minute | hour | day`",
            };
            errors.push(
                key.span(),
                format!("`rate_limit` needs {missing}, like `{RATE_LIMIT_EXAMPLE}`"),
            );
        }
        return Ok(None);
    };
    Ok(Some(Sp {
        span: key.span(),
        value: RateLimitArg {
            unit: unit_sp,
            amount,
            per_seconds,
        },
    }))
}

/// Parses every `#[endpoint(...)]` / `#[validate(...)]` on a field.
pub fn parse_field_args(attrs: &[syn::Attribute], mode: Mode, errors: &mut Errors) -> FieldArgs {
    let mut args = FieldArgs::default();
    let name = mode.attr_name();
    // `#[endpoint(json)] #[endpoint(json)]` is a duplicate too.
    let mut seen = HashSet::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(name)) {
        let list = match attr.meta.require_list() {
            Ok(list) => list,
            Err(error) => {
                errors.push_error(error);
                continue;
            }
        };
        let expected = match mode {
            Mode::Endpoint => ENDPOINT_FIELD_KEYS,
            Mode::Validate => VALIDATE_FIELD_KEYS,
        };
        let parser = |input: ParseStream| {
            parse_keys(
                input,
                &mut seen,
                errors,
                |key, input, errors| {
                    let wire_only = matches!(
                        key.to_string().as_str(),
                        "rename" | "recipients" | "json" | "flatten" | "int_bool"
                    );
                    if wire_only && mode == Mode::Validate {
                        return Ok(false);
                    }
                    match key.to_string().as_str() {
                        "rename" => {
                            args.rename = string_value(key, input, errors, "rename = \"wireName\"")?
                        }
                        "recipients" => args.recipients = Some(flag(key, input, errors)?),
                        "json" => args.json = Some(flag(key, input, errors)?),
                        "flatten" => args.flatten = Some(flag(key, input, errors)?),
                        "int_bool" => args.int_bool = Some(flag(key, input, errors)?),
                        "non_empty" => args.non_empty = Some(flag(key, input, errors)?),
                        "nested" => args.nested = Some(flag(key, input, errors)?),
                        "max_chars" => {
                            args.max_chars = usize_value(key, input, errors, "max_chars = 50")?
                        }
                        "max_bytes" => {
                            args.max_bytes = usize_value(key, input, errors, "max_bytes = 40")?
                        }
                        "min_items" => {
                            args.min_items = usize_value(key, input, errors, "min_items = 1")?
                        }
                        "max_items" => {
                            args.max_items = usize_value(key, input, errors, "max_items = 20")?
                        }
                        "min" => args.min = i64_value(key, input, errors, "min = -1")?,
                        "max" => args.max = i64_value(key, input, errors, "max = 9999")?,
                        _ => return Ok(false),
                    }
                    Ok(true)
                },
                expected,
                &format!("`#[{name}(...)]`"),
            )
        };
        if let Err(error) = parser.parse2(list.tokens.clone()) {
            errors.push_error(error);
        }
    }
    args
}

/// `#[setters(...)]` on a field of a `#[derive(Setters)]` struct.
#[derive(Default)]
pub struct SetterArgs {
    /// `skip`: no setter for this field.
    pub skip: Option<Span>,
}

/// Parses every `#[setters(...)]` on a field. An unknown argument is
/// reported with the one argument there is.
pub fn parse_setter_args(attrs: &[syn::Attribute], errors: &mut Errors) -> SetterArgs {
    let mut args = SetterArgs::default();
    let mut seen = HashSet::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("setters")) {
        let list = match attr.meta.require_list() {
            Ok(list) => list,
            Err(error) => {
                errors.push_error(error);
                continue;
            }
        };
        let parser = |input: ParseStream| {
            parse_keys(
                input,
                &mut seen,
                errors,
                |key, input, errors| {
                    if key == "skip" {
                        args.skip = Some(flag(key, input, errors)?);
                    } else {
                        errors.push(
                            key.span(),
                            format!("unknown setters argument `{key}`; expected `skip`"),
                        );
                        skip_value(input)?;
                    }
                    Ok(true)
                },
                "`skip`",
                "`#[setters(...)]`",
            )
        };
        if let Err(error) = parser.parse2(list.tokens.clone()) {
            errors.push_error(error);
        }
    }
    args
}

/// Reports `#[setters(...)]` on the struct itself: its arguments belong on
/// fields.
pub fn reject_setters_container(attrs: &[syn::Attribute], errors: &mut Errors) {
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("setters")) {
        errors.push_spanned(
            attr,
            "`#[setters(...)]` goes on a field, not on the struct: write `#[setters(skip)]` above a field to leave it without a setter",
        );
    }
}

/// Parses `#[validate(check = path)]` on a derived struct.
pub fn parse_validate_container(
    attrs: &[syn::Attribute],
    errors: &mut Errors,
) -> Option<syn::Path> {
    let mut check = None;
    let mut seen = HashSet::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("validate")) {
        let result = attr.parse_args_with(|input: ParseStream| {
            parse_keys(
                input,
                &mut seen,
                errors,
                |key, input, _errors| {
                    if key != "check" {
                        return Ok(false);
                    }
                    if !input.peek(Token![=]) {
                        return Err(syn::Error::new(
                            key.span(),
                            "`check` needs a function path, like `check = Self::check`",
                        ));
                    }
                    input.parse::<Token![=]>()?;
                    check = Some(input.parse()?);
                    Ok(true)
                },
                "`check`",
                "`#[validate(...)]` on a struct",
            )
        });
        if let Err(error) = result {
            errors.push_error(error);
        }
    }
    check
}

/// The default wire name: the field name in camelCase (`to_user_id` →
/// `toUserId`).
pub fn camel_case(name: &str) -> String {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
