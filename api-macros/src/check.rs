//! From the parsed item (`ast`) to the checked model (`model`): the rules
//! that span several arguments or fields, and every decision `emit` needs
//! (each field's wire kind, wire name and rules), made once.
//!
//! Each function returns `None` when it reported an error; the caller then
//! emits the fallback instead of the model.

use proc_macro2::Span;
use syn::{LitStr, Visibility};

use crate::ast::{self, Field};
use crate::attr::{self, EncodingKind, FieldAttrs, MethodKind};
use crate::ctxt::Ctxt;
use crate::model::{
    self, Encoding, EndpointField, Method, RateLimit, RateUnit, Rule, Rules, Setter, Wire,
};
use crate::ty;

/// Checks an endpoint.
pub fn endpoint<'a>(parsed: &'a ast::Endpoint<'a>, cx: &Ctxt) -> Option<model::Endpoint<'a>> {
    let args = &parsed.attrs;
    // Not a struct with named fields: that error says it all.
    let fields = parsed.fields.as_ref()?;
    // A key written with a bad value was reported where it was written, and
    // after a syntax error nothing more is known: neither is "missing".
    match &args.path {
        None if args.missing("path") => cx.error(
            Span::call_site(),
            "missing `path`: add `path = \"/...\"`, the endpoint's path below the base URL",
        ),
        Some(path) if !path.value.starts_with('/') => cx.error(
            path.span,
            format!("`path` must start with `/`, like \"/{}\"", path.value),
        ),
        _ => {}
    }
    let get = args
        .method
        .as_ref()
        .is_some_and(|m| m.value == MethodKind::Get);
    match &args.encoding {
        // A GET has no body: its parameters are always form-encoded.
        None if get => {}
        None if args.missing("encoding") => cx.error(
            Span::call_site(),
            "missing `encoding`: add `encoding = \"form\"` or `encoding = \"json\"`",
        ),
        Some(json) if get && json.value == EncodingKind::Json => cx.error(
            json.span,
            "a GET has no body: its parameters go in the query string, form-encoded; write `encoding = \"form\"` or leave `encoding` out",
        ),
        _ => {}
    }

    let recipients: Vec<&Field<FieldAttrs>> = fields
        .iter()
        .filter(|f| f.args.recipients.is_some())
        .collect();
    match (&args.max_recipients, recipients.as_slice()) {
        (Some(max), []) => cx.error(
            max.span,
            "`max_recipients` needs exactly one field marked `#[endpoint(recipients)]`, and there is none",
        ),
        (Some(_), [_, extra @ ..]) => {
            for field in extra {
                cx.error(
                    field.args.recipients.unwrap_or_else(Span::call_site),
                    "`max_recipients` needs exactly one recipients field; this is a second one",
                );
            }
        }
        // A `max_recipients` with a bad value was reported already.
        (None, _) if !args.missing("max_recipients") => {}
        (None, fields) => {
            for field in fields {
                cx.error(
                    field.args.recipients.unwrap_or_else(Span::call_site),
                    "a `recipients` field needs `max_recipients = N` on the struct's `#[endpoint(...)]`",
                );
            }
        }
    }
    if recipients.is_empty() {
        for limit in &args.rate_limits {
            if limit.value.unit.value == attr::RateUnit::Recipients {
                cx.error(
                    limit.value.unit.span,
                    "a rate limit counted in `recipients` needs a field marked `#[endpoint(recipients)]`; count `calls` instead",
                );
            }
        }
    }
    // The pacer weighs a call by one number, so every weighted limit must
    // count the same field.
    let mut weighted_by: Option<&syn::Ident> = None;
    let mut counted: Option<&Field<FieldAttrs>> = None;
    for limit in &args.rate_limits {
        let (field, span) = match (&limit.value.unit.value, &limit.value.counted_by) {
            (attr::RateUnit::Recipients, _) => match recipients.first() {
                Some(field) => (field.ident, limit.value.unit.span),
                None => continue,
            },
            (attr::RateUnit::Items, Some(name)) => {
                match fields.iter().find(|f| f.ident == name) {
                    Some(field) => {
                        counted = Some(field);
                        (field.ident, name.span())
                    }
                    None => {
                        cx.error(
                            name.span(),
                            format!("no field `{name}` to count: `counted_by` names a field of this struct"),
                        );
                        continue;
                    }
                }
            }
            _ => continue,
        };
        match weighted_by {
            Some(first) if first != field => cx.error(
                span,
                format!("this limit counts `{field}` but another counts `{first}`; a call has one rate weight, so every limit counted by a field must count the same one"),
            ),
            _ => weighted_by = Some(field),
        }
    }
    for field in &recipients {
        if !ty::is_vec_of_string(field.ty) {
            cx.error_spanned_by(
                field.ty,
                "the recipients field must be a `Vec<String>` of user ids",
            );
        }
    }

    let encoding = match args.encoding.as_ref().map(|e| e.value) {
        Some(EncodingKind::Json) => Encoding::Json,
        _ => Encoding::Form,
    };
    let form = args
        .encoding
        .as_ref()
        .is_some_and(|e| e.value == EncodingKind::Form);

    // Two fields with one wire name would send the key twice. Flattened
    // fields write wire names of their own, unknown here.
    let mut wire_names: Vec<(&Field<FieldAttrs>, String)> = Vec::new();
    for field in fields.iter().filter(|f| f.args.flatten.is_none()) {
        let wire = wire_name(field);
        match wire_names.iter().find(|(_, other)| *other == wire) {
            Some((other, _)) => cx.error(
                field
                    .args
                    .rename
                    .as_ref()
                    .map_or_else(|| field.ident.span(), |r| r.span),
                format!(
                    "field `{}` is sent as `{wire}`, like field `{}`; give one of them another `rename`",
                    field.ident, other.ident
                ),
            ),
            None => wire_names.push((field, wire)),
        }
    }
    for field in fields {
        let a = &field.args;
        let wire_kind = a.json.is_some() || a.flatten.is_some() || a.bracketed.is_some();
        if (form || get) && !wire_kind && ty::is_map_like(field.ty) {
            cx.error_spanned_by(
                field.ty,
                format!(
                    "field `{}` is a map, which a form body cannot carry; mark it `#[endpoint(json)]` to send it as a JSON string, or `#[endpoint(bracketed)]` to send a field `{}[key]=value` per entry",
                    field.ident,
                    wire_name(field),
                ),
            );
        }
        if let Some(bracketed) = a.bracketed {
            if !(form || get) && args.encoding.is_some() {
                cx.error(
                    bracketed,
                    "`bracketed` writes form fields `name[key]=value`, and this body is JSON, where a map is an object: remove `bracketed`",
                );
            }
            for (name, span) in [
                ("json", a.json),
                ("int_bool", a.int_bool),
                ("recipients", a.recipients),
            ] {
                if let Some(span) = span {
                    cx.error(
                        span,
                        format!("`{name}` cannot be combined with `bracketed`"),
                    );
                }
            }
        }
        if a.flatten.is_some() {
            let conflicts = [
                ("rename", a.rename.as_ref().map(|r| r.span)),
                ("json", a.json),
                ("int_bool", a.int_bool),
                ("recipients", a.recipients),
                ("bracketed", a.bracketed),
            ];
            let spans = conflicts
                .into_iter()
                .filter_map(|(name, span)| Some((name, span?)))
                .chain(a.rule_spans());
            for (name, span) in spans {
                cx.error(
                    span,
                    format!("`{name}` cannot be combined with `flatten`: a flattened field writes its own wire fields and checks itself"),
                );
            }
        }
        if let (Some(_), Some(int_bool)) = (a.json, a.int_bool) {
            cx.error(int_bool, "`int_bool` cannot be combined with `json`");
        }
        check_ranges(&field.args, cx);
    }
    // A request is idempotent or not; `idempotent_unless` decides per
    // request, so it cannot be combined with the unconditional flag.
    let mut unless_field: Option<&Field<FieldAttrs>> = None;
    if let Some(name) = &args.idempotent_unless {
        if args.idempotent.is_some() {
            cx.error(
                name.span(),
                "`idempotent_unless` cannot be combined with `idempotent`: keep `idempotent` for calls that are always safe to repeat, or `idempotent_unless = field` for calls that are unless `field` is set",
            );
        }
        match fields.iter().find(|f| f.ident == name) {
            Some(field) => unless_field = Some(field),
            None => cx.error(
                name.span(),
                format!("no field `{name}`: `idempotent_unless` names a field of this struct"),
            ),
        }
    }
    if cx.has_errors() {
        return None;
    }

    let path = args.path.as_ref()?;
    let fields: Vec<EndpointField> = fields.iter().map(endpoint_field).collect();
    let wire_of = |ident: &syn::Ident| {
        fields
            .iter()
            .find(|f| f.rules.ident == ident)
            .and_then(|f| f.wire.name())
            .unwrap_or_default()
            .to_owned()
    };
    let response_shape = (args.success_code.is_some() || args.error_message.is_some()).then(|| {
        (
            args.success_code.as_ref().map_or(200, |c| c.value),
            args.error_message
                .as_ref()
                .map_or_else(|| "errorMessage".to_owned(), |m| m.value.clone()),
        )
    });
    Some(model::Endpoint {
        input: parsed.input,
        runtime: model::Runtime::from_attr(args.krate.as_ref()),
        path: LitStr::new(&path.value, path.span),
        encoding,
        method: if get { Method::Get } else { Method::Post },
        response_shape,
        max_recipients: args.max_recipients.as_ref().map(|m| m.value),
        response: args.response.as_ref(),
        idempotent: args.idempotent.is_some(),
        idempotent_unless: unless_field.map(|field| (field.ident, field.ty)),
        rate_limits: args
            .rate_limits
            .iter()
            .map(|limit| RateLimit {
                unit: match (limit.value.unit.value, &limit.value.counted_by) {
                    (attr::RateUnit::Calls, _) => RateUnit::Calls,
                    (attr::RateUnit::Recipients, _) => RateUnit::Recipients,
                    (attr::RateUnit::Items, counted_by) => {
                        RateUnit::Items(counted_by.as_ref().map(wire_of).unwrap_or_default())
                    }
                },
                amount: limit.value.amount,
                per_seconds: limit.value.per_seconds,
                span: limit.span,
            })
            .collect(),
        recipients: recipients.first().map(|field| field.ident),
        rate_weight: counted.map(|field| (field.ident, field.ty)),
        check: args.check.as_ref(),
        fields,
    })
}

/// The wire kind, rules and setter of an endpoint's field.
fn endpoint_field<'a>(field: &'a Field<'a, FieldAttrs>) -> EndpointField<'a> {
    let a = &field.args;
    let name = wire_name(field);
    let inner = ty::option_inner(field.ty);
    // One order of precedence; the check above refused the combinations
    // where it would matter.
    let wire = if a.flatten.is_some() {
        Wire::Flatten
    } else if a.json.is_some() {
        Wire::Json { name, inner }
    } else if a.int_bool.is_some() {
        Wire::IntBool { name }
    } else if a.bracketed.is_some() {
        Wire::Bracketed { name }
    } else {
        Wire::Plain { name, inner }
    };
    let setter = setter_type(field.vis, field.ty).map(|inner| {
        let wire = wire.name().unwrap_or_default();
        Setter {
            ident: field.ident,
            inner,
            summary: format!("Sets `{}` (the `{wire}` field).", field.path_name()),
            docs: Vec::new(),
        }
    });
    EndpointField {
        rules: rules(field),
        wire,
        setter,
    }
}

/// The wire name: `rename`, or the field name in camelCase.
fn wire_name(field: &Field<FieldAttrs>) -> String {
    field
        .args
        .rename
        .as_ref()
        .map(|r| r.value.clone())
        .unwrap_or_else(|| camel_case(&field.ident.to_string()))
}

/// A field's rules, in the order they run (and so are reported).
fn rules<'a>(field: &Field<'a, FieldAttrs>) -> Rules<'a> {
    let a = &field.args;
    let mut rules = Vec::new();
    if let Some(span) = a.recipients {
        rules.push(Rule::Recipients(span));
    }
    if let Some(span) = a.non_empty {
        rules.push(Rule::NonEmpty(span));
    }
    for (limit, function) in [
        (&a.max_chars, "max_chars"),
        (&a.max_bytes, "max_bytes"),
        (&a.min_items, "min_items"),
        (&a.max_items, "max_items"),
    ] {
        if let Some(limit) = limit {
            rules.push(Rule::Size {
                function,
                limit: limit.value,
                span: limit.span,
            });
        }
    }
    if let Some(span) = a.min.as_ref().or(a.max.as_ref()).map(|s| s.span) {
        rules.push(Rule::Range {
            min: a.min.as_ref().map_or(i64::MIN, |m| m.value),
            max: a.max.as_ref().map_or(i64::MAX, |m| m.value),
            span,
        });
    }
    if let Some(len) = &a.len {
        rules.push(Rule::Len {
            length: len.value,
            span: len.span,
        });
    }
    if let Some(chars) = &a.chars {
        rules.push(Rule::Chars {
            class: chars.value.clone(),
            span: chars.span,
        });
    }
    if let Some(span) = a.nested.or(a.flatten) {
        rules.push(Rule::Nested(span));
    }
    Rules {
        ident: field.ident,
        ty: field.ty,
        path_name: field.path_name(),
        rules,
    }
}

/// Checks one field's rules on their own.
fn check_ranges(args: &FieldAttrs, cx: &Ctxt) {
    if let (Some(min), Some(max)) = (&args.min, &args.max) {
        if min.value > max.value {
            cx.error(
                min.span,
                format!("`min = {}` is larger than `max = {}`", min.value, max.value),
            );
        }
    }
    if let (Some(len), Some(max)) = (&args.len, &args.max_chars) {
        if len.value > max.value {
            cx.error(
                len.span,
                format!(
                    "`len = {}` is larger than `max_chars = {}`: no text can meet both",
                    len.value, max.value
                ),
            );
        }
    }
    if let (Some(min), Some(max)) = (&args.min_items, &args.max_items) {
        if min.value > max.value {
            cx.error(
                min.span,
                format!(
                    "`min_items = {}` is larger than `max_items = {}`",
                    min.value, max.value
                ),
            );
        }
    }
}

/// Checks a `#[derive(Validate)]` input.
pub fn validate<'a>(parsed: &'a ast::Validate<'a>, cx: &Ctxt) -> Option<model::Validate<'a>> {
    let fields = parsed.fields.as_ref()?;
    for field in fields {
        check_ranges(&field.args, cx);
    }
    if cx.has_errors() {
        return None;
    }
    Some(model::Validate {
        input: parsed.input,
        runtime: model::Runtime::from_attr(parsed.attrs.krate.as_ref()),
        fields: fields.iter().map(rules).collect(),
        check: parsed.attrs.check.as_ref(),
    })
}

/// Checks a `#[derive(Setters)]` input: `skip` only on a field that would
/// get a setter.
pub fn setters<'a>(parsed: &'a ast::Setters<'a>, cx: &Ctxt) -> Option<model::Setters<'a>> {
    let fields = parsed.fields.as_ref()?;
    let mut setters = Vec::new();
    for field in fields {
        let inner = setter_type(field.vis, field.ty);
        match (field.args.skip, inner) {
            (Some(_), Some(_)) => {}
            (None, Some(inner)) => setters.push(Setter {
                ident: field.ident,
                inner,
                summary: format!("Sets `{}`.", field.path_name()),
                docs: field
                    .attrs
                    .iter()
                    .filter(|attr| attr.path().is_ident("doc"))
                    .collect(),
            }),
            (None, None) => {}
            (Some(skip), None) => {
                let why = if matches!(field.vis, Visibility::Public(_)) {
                    "it is not an `Option`"
                } else {
                    "it is not `pub`"
                };
                cx.error(
                    skip,
                    format!(
                        "field `{}` has no setter to skip: {why}, and only public `Option<T>` fields get one; remove `skip`",
                        field.ident
                    ),
                );
            }
        }
    }
    if cx.has_errors() {
        return None;
    }
    Some(model::Setters {
        input: parsed.input,
        setters,
    })
}

/// Checks a `#[derive(IntEnum)]` input: a plain enum whose every variant
/// has no data and an explicit discriminant (its documented wire value).
pub fn int_enum<'a>(parsed: &'a ast::IntEnum<'a>, cx: &Ctxt) -> Option<model::IntEnum<'a>> {
    let variants = parsed.variants.as_ref()?;
    let input = parsed.input;
    if let Some(param) = input.generics.params.first() {
        cx.error_spanned_by(param, "an `IntEnum` takes no generic parameters");
    }
    if variants.is_empty() {
        cx.error(
            input.ident.span(),
            "an `IntEnum` needs at least one variant, each with its wire value",
        );
    }
    let mut literals = Vec::new();
    for variant in variants {
        if !matches!(variant.fields, syn::Fields::Unit) {
            cx.error_spanned_by(
                &variant.fields,
                format!(
                    "variant `{}` carries data, but an `IntEnum` variant is only a number on the wire",
                    variant.ident
                ),
            );
        }
        match &variant.discriminant {
            None => cx.error(
                variant.ident.span(),
                format!(
                    "variant `{0}` has no wire value: write the documented integer after it, `{0} = <value>`",
                    variant.ident
                ),
            ),
            Some((_, expr)) => literals.push(int_literal(expr)),
        }
    }
    if cx.has_errors() {
        return None;
    }
    let expected = match literals.into_iter().collect::<Option<Vec<i128>>>() {
        Some(values) => format!(
            "one of {}",
            values
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!("a `{}` value", input.ident),
    };
    Some(model::IntEnum {
        input,
        runtime: model::Runtime::from_attr(parsed.attrs.krate.as_ref()),
        variants: variants.iter().map(|v| &v.ident).collect(),
        expected,
    })
}

/// The value of an integer literal discriminant (`3`, `-1`).
fn int_literal(expr: &syn::Expr) -> Option<i128> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse().ok(),
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => int_literal(expr).map(|value| -value),
        _ => None,
    }
}

/// `T` when a field gets a setter, which is when it is a public `Option<T>`.
pub fn setter_type<'a>(vis: &Visibility, ty: &'a syn::Type) -> Option<&'a syn::Type> {
    if matches!(vis, Visibility::Public(_)) {
        ty::option_inner(ty)
    } else {
        None
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn checked<R>(
        args: proc_macro2::TokenStream,
        item: syn::DeriveInput,
        inspect: impl FnOnce(Option<&model::Endpoint>) -> R,
    ) -> (R, Result<(), String>) {
        let cx = Ctxt::new();
        let parsed = ast::endpoint(args, &item, &cx);
        let model = endpoint(&parsed, &cx);
        let result = inspect(model.as_ref());
        (result, cx.check().map_err(|e| e.to_string()))
    }

    #[test]
    fn int_enum_values_and_mistakes() {
        let item: syn::DeriveInput = syn::parse_quote! {
            enum ConversationType { Private = 1, Group = 3, System = 6, Minus = -1 }
        };
        let cx = Ctxt::new();
        let parsed = ast::int_enum(&item, &cx);
        let model = int_enum(&parsed, &cx).unwrap();
        assert_eq!(model.expected, "one of 1, 3, 6, -1");
        assert_eq!(model.variants.len(), 4);
        cx.check().unwrap();

        let item: syn::DeriveInput = syn::parse_quote! {
            enum Bad { A = 1, B, C(u8) = 3 }
        };
        let cx = Ctxt::new();
        let parsed = ast::int_enum(&item, &cx);
        assert!(int_enum(&parsed, &cx).is_none());
        let errors = cx.check().unwrap_err().to_string();
        assert!(errors.contains("variant `B` has no wire value"), "{errors}");
        assert!(errors.contains("variant `C` carries data"), "{errors}");
    }

    #[test]
    fn camel_case_of_field_names() {
        assert_eq!(camel_case("to_user_id"), "toUserId");
        assert_eq!(camel_case("r#type"), "type");
        assert_eq!(camel_case("_private"), "private");
        assert_eq!(camel_case("is_persisted"), "isPersisted");
    }

    #[test]
    fn each_field_gets_one_wire_kind() {
        let item: syn::DeriveInput = syn::parse_quote! {
            struct Publish {
                #[endpoint(recipients)]
                to_user_id: Vec<String>,
                #[endpoint(flatten)]
                message: Message<C>,
                #[endpoint(json, nested)]
                push_ext: Option<PushExt>,
                #[endpoint(int_bool)]
                is_persisted: Option<bool>,
                #[endpoint(rename = "pushContent", max_chars = 5)]
                push_text: Option<String>,
            }
        };
        let (kinds, result) = checked(
            quote!(path = "/p.json", encoding = "form", max_recipients = 10),
            item,
            |model| {
                let model = model.expect("checked");
                assert_eq!(model.recipients.unwrap(), "to_user_id");
                model
                    .fields
                    .iter()
                    .map(|f| f.wire.kind())
                    .collect::<Vec<_>>()
            },
        );
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(kinds, ["plain", "flatten", "json", "int_bool", "plain"]);
    }

    #[test]
    fn wire_names_and_rules_are_decided_in_check() {
        let item: syn::DeriveInput = syn::parse_quote! {
            pub struct Block {
                #[endpoint(rename = "uid", non_empty, max_chars = 64)]
                pub user_id: Option<String>,
                #[endpoint(min = 1)]
                pub minute: u32,
            }
        };
        let ((wire, rules, setter), result) =
            checked(quote!(path = "/b.json", encoding = "form"), item, |model| {
                let field = &model.unwrap().fields[0];
                let wire = match &field.wire {
                    Wire::Plain { name, inner } => (name.clone(), inner.is_some()),
                    other => panic!("{}", other.kind()),
                };
                let range = match &model.unwrap().fields[1].rules.rules[..] {
                    [Rule::Range { min, max, .. }] => (*min, *max),
                    _ => panic!("not one range rule"),
                };
                (
                    wire,
                    (field.rules.rules.len(), range),
                    field.setter.as_ref().map(|s| s.summary.clone()),
                )
            });
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(wire, ("uid".to_owned(), true));
        assert_eq!(rules, (2, (1, i64::MAX)));
        assert_eq!(setter.as_deref(), Some("Sets `user_id` (the `uid` field)."));
    }

    #[test]
    fn cross_argument_rules_report_and_return_no_model() {
        let item: syn::DeriveInput = syn::parse_quote! {
            struct Publish {
                #[endpoint(recipients)]
                to_user_id: Vec<u64>,
                #[endpoint(flatten, max_chars = 3)]
                message: Message<C>,
            }
        };
        let (none, result) = checked(quote!(path = "p", encoding = "form"), item, |m| m.is_none());
        assert!(none);
        let errors = result.unwrap_err();
        for expected in [
            "`path` must start with `/`",
            "needs `max_recipients = N`",
            "must be a `Vec<String>`",
            "`max_chars` cannot be combined with `flatten`",
        ] {
            assert!(errors.contains(expected), "{expected}: {errors}");
        }
    }
}
