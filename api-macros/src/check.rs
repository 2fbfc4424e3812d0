//! Rules that span several attributes, checked before anything is emitted.

use proc_macro2::Span;

use crate::attr::{EncodingKind, EndpointArgs, Errors, RateUnit};
use crate::expand::{self, FieldModel, SetterField};
use crate::ty;

/// Checks the struct arguments and how fields use them.
pub fn endpoint(args: &EndpointArgs, fields: &[FieldModel], errors: &mut Errors) {
    // A key written with a bad value was reported where it was written, and
    // after a syntax error nothing more is known: neither is "missing".
    let missing = |key: &str| !args.aborted && !args.given.contains(key);
    match &args.path {
        None if !missing("path") => {}
        None => errors.push(
            Span::call_site(),
            "missing `path`: add `path = \"/...\"`, the endpoint's path below the base URL",
        ),
        Some(path) if !path.value.starts_with('/') => errors.push(
            path.span,
            format!("`path` must start with `/`, like \"/{}\"", path.value),
        ),
        Some(_) => {}
    }
    if args.encoding.is_none() && missing("encoding") {
        errors.push(
            Span::call_site(),
            "missing `encoding`: add `encoding = \"form\"` or `encoding = \"json\"`",
        );
    }

    let recipients: Vec<&FieldModel> = fields
        .iter()
        .filter(|f| f.args.recipients.is_some())
        .collect();
    match (&args.max_recipients, recipients.as_slice()) {
        (Some(max), []) => errors.push(
            max.span,
            "`max_recipients` needs exactly one field marked `#[endpoint(recipients)]`, and there is none",
        ),
        (Some(_), [_, extra @ ..]) => {
            for field in extra {
                errors.push(
                    field.args.recipients.unwrap_or_else(Span::call_site),
                    "`max_recipients` needs exactly one recipients field; this is a second one",
                );
            }
        }
        // A `max_recipients` with a bad value was reported already.
        (None, _) if !missing("max_recipients") => {}
        (None, fields) => {
            for field in fields {
                errors.push(
                    field.args.recipients.unwrap_or_else(Span::call_site),
                    "a `recipients` field needs `max_recipients = N` on the struct's `#[endpoint(...)]`",
                );
            }
        }
    }
    if recipients.is_empty() {
        for limit in &args.rate_limits {
            if limit.value.unit.value == RateUnit::Recipients {
                errors.push(
                    limit.value.unit.span,
                    "a rate limit counted in `recipients` needs a field marked `#[endpoint(recipients)]`; count `calls` instead",
                );
            }
        }
    }
    for field in &recipients {
        if !ty::is_vec_of_string(field.ty) {
            errors.push_spanned(
                field.ty,
                "the recipients field must be a `Vec<String>` of user ids",
            );
        }
    }

    let form = args
        .encoding
        .as_ref()
        .is_some_and(|e| e.value == EncodingKind::Form);
    // Two fields with one wire name would send the key twice. Flattened
    // fields write wire names of their own, unknown here.
    let mut wire_names: Vec<&FieldModel> = Vec::new();
    for field in fields.iter().filter(|f| f.args.flatten.is_none()) {
        match wire_names.iter().find(|other| other.wire == field.wire) {
            Some(other) => errors.push(
                field
                    .args
                    .rename
                    .as_ref()
                    .map_or_else(|| field.ident.span(), |r| r.span),
                format!(
                    "field `{}` is sent as `{}`, like field `{}`; give one of them another `rename`",
                    field.ident, field.wire, other.ident
                ),
            ),
            None => wire_names.push(field),
        }
    }
    for field in fields {
        let a = &field.args;
        if form && a.json.is_none() && a.flatten.is_none() && ty::is_map_like(field.ty) {
            errors.push_spanned(
                field.ty,
                format!(
                    "field `{}` is a map, which a form body cannot carry; mark it `#[endpoint(json)]` to send it as a JSON string",
                    field.ident
                ),
            );
        }
        if a.flatten.is_some() {
            let conflicts = [
                ("rename", a.rename.as_ref().map(|r| r.span)),
                ("json", a.json),
                ("int_bool", a.int_bool),
                ("recipients", a.recipients),
            ];
            let spans = conflicts
                .into_iter()
                .filter_map(|(name, span)| Some((name, span?)))
                .chain(a.rule_spans());
            for (name, span) in spans {
                errors.push(
                    span,
                    format!("`{name}` cannot be combined with `flatten`: a flattened field writes its own wire fields and checks itself"),
                );
            }
        }
        if let (Some(_), Some(int_bool)) = (a.json, a.int_bool) {
            errors.push(int_bool, "`int_bool` cannot be combined with `json`");
        }
        check_range(field, errors);
    }
}

/// Checks one field's rules on their own.
pub fn check_range(field: &FieldModel, errors: &mut Errors) {
    if let (Some(min), Some(max)) = (&field.args.min, &field.args.max) {
        if min.value > max.value {
            errors.push(
                min.span,
                format!("`min = {}` is larger than `max = {}`", min.value, max.value),
            );
        }
    }
    if let (Some(min), Some(max)) = (&field.args.min_items, &field.args.max_items) {
        if min.value > max.value {
            errors.push(
                min.span,
                format!(
                    "`min_items = {}` is larger than `max_items = {}`",
                    min.value, max.value
                ),
            );
        }
    }
}

/// Checks `#[derive(Setters)]`: `skip` only on a field that would get a
/// setter.
pub fn setters(fields: &[SetterField], errors: &mut Errors) {
    for field in fields {
        let Some(skip) = field.args.skip else {
            continue;
        };
        if expand::setter_type(field.vis, field.ty).is_some() {
            continue;
        }
        let why = if matches!(field.vis, syn::Visibility::Public(_)) {
            "it is not an `Option`"
        } else {
            "it is not `pub`"
        };
        errors.push(
            skip,
            format!(
                "field `{}` has no setter to skip: {why}, and only public `Option<T>` fields get one; remove `skip`",
                field.ident
            ),
        );
    }
}
