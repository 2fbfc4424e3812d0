//! `#[endpoint(...)]`, `#[derive(Validate)]` and `#[derive(Setters)]` for the
//! RongCloud Server API client.
//!
//! Each macro runs three passes, as garde_derive and thiserror do, driven
//! from this file:
//!
//! 1. **parse** (`ast`, with `attr` for attribute arguments): the item and
//!    its arguments as typed values that remember their tokens;
//! 2. **check** (`check`): the rules that span several arguments, and every
//!    decision about the item, into the checked model (`model`);
//! 3. **emit** (`emit`): code from the checked model alone.
//!
//! All passes report into one error context (`ctxt`), so one compile shows
//! every mistake, each at its own token. Generated code names the runtime
//! through `::api_core::__private` and carries no `use` lines.

mod ast;
mod attr;
mod check;
mod ctxt;
mod emit;
mod fallback;
mod model;
mod ty;

use proc_macro::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, parse_macro_input};

use crate::ctxt::Ctxt;

/// Declares a Server API endpoint on a struct with named fields.
///
/// Struct arguments: `path = "/..."` (required), `encoding = "form" |
/// "json"` (required except for a `GET`), `method = "GET"` (parameters in
/// the query string; default `"POST"`), `max_recipients = N`, `response =
/// Type` (default `api_core::CodeOnly`), `success_code = N` and
/// `error_message = "member"` (answers that are not `{code: 200,
/// errorMessage}`), `idempotent`, `idempotent_unless = field` (safe to
/// repeat only while `field` is unset: `None`, `false` or empty),
/// `rate_limit(calls | recipients | items =
/// N, per = second | minute | hour | day[, counted_by = field])`
/// (repeatable; `items` counts the length of the `counted_by` field),
/// `check = path::to::fn` (an extra `fn(&Self, &mut api_core::Report)` for
/// rules between fields), `crate = "path"` (the api-core crate, when
/// renamed).
///
/// Field arguments, in `#[endpoint(...)]`: `rename = "wireName"` (default:
/// the field name in camelCase), `recipients`, `json` (send as a JSON
/// string), `flatten` (one field holding several wire fields, such as a
/// `Message`), `int_bool` (a `bool` sent as `1`/`0`), `bracketed` (a map
/// sent as `name[key]=value` fields), `non_empty`, `max_chars = N`,
/// `max_bytes = N`, `len = N`, `chars = "digits" | "alpha" | "alnum" |
/// "<ASCII set>"`, `min_items = N`, `max_items = N`, `min = N`, `max = N`,
/// `nested` (validate a typed part).
///
/// It generates `api_core::Endpoint`, `api_core::Validate`, a `Serialize`
/// impl for JSON endpoints, a builder-style setter for every public
/// `Option` field, `api_core::Recipients` (for bulk sends, when the struct
/// is `Clone`) and `async fn send(&self, client)`. On a mistake it emits
/// the same impls with bodies that are never run, beside the errors, so
/// that uses of the type add no errors of their own.
#[proc_macro_attribute]
pub fn endpoint(args: TokenStream, input: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(input.clone()) {
        Ok(item) => expand_endpoint(args.into(), item).into(),
        // Not a struct, enum or union (a function, an impl, ...): say what
        // the attribute goes on, and keep the item so that its uses do not
        // fail too.
        Err(error) => {
            let error = syn::Error::new(
                error.span(),
                "`#[endpoint]` goes on a struct with named fields",
            );
            let mut output = input;
            output.extend(TokenStream::from(error.to_compile_error()));
            output
        }
    }
}

/// Derives `api_core::Validate` for a typed part (push options, audiences,
/// ...) from `#[validate(...)]` field rules: `non_empty`, `max_chars = N`,
/// `max_bytes = N`, `len = N`, `chars = "..."`, `min_items = N`,
/// `max_items = N`, `min = N`, `max = N`, `nested`; and
/// `#[validate(check = path::to::fn, crate = "path")]` on the struct.
#[proc_macro_derive(Validate, attributes(validate))]
pub fn derive_validate(input: TokenStream) -> TokenStream {
    let item = parse_macro_input!(input as syn::DeriveInput);
    expand_validate(&item).into()
}

/// Derives builder-style setters for a struct with named fields, such as a
/// typed part (push options, message contents, ...).
///
/// Every public field of type `Option<T>` gets
/// `#[must_use] pub fn field(mut self, value: impl Into<T>) -> Self`, which
/// sets the field to `Some(value.into())`. Its documentation says which field
/// it sets, then repeats the field's own documentation. Other fields (not
/// `pub`, or not an `Option`) get no setter.
///
/// Field argument, in `#[setters(...)]`: `skip` (no setter for this field,
/// say because a hand-written function has its name). `skip` on a field
/// that would get no setter anyway is an error. On the struct,
/// `#[setters(crate = "path")]` is accepted like on the other derives
/// (setters name nothing from api-core, so it changes nothing).
///
/// `impl Into<T>` takes a `T` and anything that converts to it; an argument
/// whose type is inferred from the parameter (`.into()`, `Default::default()`)
/// needs its type written out. A field of a primitive number, `bool` or
/// `char` gets `value: T` instead, so that an integer literal takes the
/// field's type (`.page(2)` for a `u32` field).
///
/// `#[endpoint]` generates the same setters for an endpoint's fields.
#[proc_macro_derive(Setters, attributes(setters))]
pub fn derive_setters(input: TokenStream) -> TokenStream {
    let item = parse_macro_input!(input as syn::DeriveInput);
    expand_setters(&item).into()
}

/// Sends a field-less enum as its integer discriminant, in forms and in
/// JSON, and reads it back from one (for the documentation's `Int` codes,
/// such as `conversationType` 1, 3, 4, 6, 10).
///
/// Every variant must have no data and an explicit discriminant, its
/// documented wire value. It generates `serde::Serialize` (the integer),
/// `serde::Deserialize` (from the integer; another value is an error naming
/// the valid ones) and `api_core`'s form field trait.
///
/// Argument, in `#[int_enum(...)]` on the enum: `crate = "path"`, the
/// api-core crate when the dependency is renamed.
#[proc_macro_derive(IntEnum, attributes(int_enum))]
pub fn derive_int_enum(input: TokenStream) -> TokenStream {
    let item = parse_macro_input!(input as syn::DeriveInput);
    expand_int_enum(&item).into()
}

fn expand_int_enum(input: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let parsed = ast::int_enum(input, &cx);
    let checked = check::int_enum(&parsed, &cx);
    match (cx.check(), checked) {
        (Ok(()), Some(model)) => emit::int_enum(&model),
        (Err(errors), _) => {
            let runtime = model::Runtime::from_attr(parsed.attrs.krate.as_ref());
            let stubs = (parsed.variants.is_some() && input.generics.params.is_empty())
                .then(|| fallback::int_enum(&parsed, &runtime));
            quote!(#errors #stubs)
        }
        (Ok(()), None) => unreachable!("check returned no model without an error"),
    }
}

fn expand_endpoint(args: proc_macro2::TokenStream, input: DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let parsed = ast::endpoint(args, &input, &cx);
    let checked = check::endpoint(&parsed, &cx);
    let item = strip_field_attrs(&input, "endpoint");
    match (cx.check(), checked) {
        (Ok(()), Some(model)) => {
            let generated = emit::endpoint(&model);
            quote!(#item #generated)
        }
        (Err(errors), _) => {
            let runtime = model::Runtime::from_attr(parsed.attrs.krate.as_ref());
            let stubs = fallback::endpoint(&parsed, &runtime);
            quote!(#item #errors #stubs)
        }
        (Ok(()), None) => unreachable!("check returned no model without an error"),
    }
}

fn expand_validate(input: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let parsed = ast::validate(input, &cx);
    let checked = check::validate(&parsed, &cx);
    match (cx.check(), checked) {
        (Ok(()), Some(model)) => emit::validate(&model),
        (Err(errors), _) => {
            let runtime = model::Runtime::from_attr(parsed.attrs.krate.as_ref());
            let stubs = fallback::validate(&parsed, &runtime);
            quote!(#errors #stubs)
        }
        (Ok(()), None) => unreachable!("check returned no model without an error"),
    }
}

fn expand_setters(input: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let parsed = ast::setters(input, &cx);
    let checked = check::setters(&parsed, &cx);
    match (cx.check(), checked) {
        (Ok(()), Some(model)) => emit::setters(&model),
        (Err(errors), _) => {
            let stubs = fallback::setters(&parsed);
            quote!(#errors #stubs)
        }
        (Ok(()), None) => unreachable!("check returned no model without an error"),
    }
}

/// The item without the helper attributes named `name` on its fields (an
/// attribute macro must remove them; a derive's stay, declared by it).
fn strip_field_attrs(input: &DeriveInput, name: &str) -> DeriveInput {
    let mut item = input.clone();
    let strip = |fields: &mut Fields| {
        for field in fields.iter_mut() {
            field.attrs.retain(|attr| !attr.path().is_ident(name));
        }
    };
    match &mut item.data {
        Data::Struct(data) => strip(&mut data.fields),
        Data::Enum(data) => data.variants.iter_mut().for_each(|v| strip(&mut v.fields)),
        Data::Union(data) => data
            .fields
            .named
            .iter_mut()
            .for_each(|f| f.attrs.retain(|a| !a.path().is_ident(name))),
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn endpoint(args: proc_macro2::TokenStream, input: DeriveInput) -> String {
        expand_endpoint(args, input).to_string()
    }

    #[test]
    fn a_mistake_still_emits_the_impls_with_unreached_bodies() {
        let out = endpoint(
            quote!(path = "/b.json", encoding = "xml", max_recipients = 2),
            parse_quote! {
                pub struct Block {
                    #[endpoint(recipients)]
                    pub user_id: Vec<String>,
                    pub note: Option<String>,
                }
            },
        );
        assert!(out.contains("compile_error"), "{out}");
        for stub in [
            "Validate for Block",
            "Endpoint for Block",
            "Recipients for Block",
            "pub fn note",
            "pub async fn send",
            "unreachable",
        ] {
            assert!(out.contains(stub), "{stub}: {out}");
        }
        // The helper attributes are gone from the item.
        assert!(!out.contains("# [endpoint"), "{out}");
    }

    #[test]
    fn a_clean_item_emits_no_stub_and_names_the_given_crate() {
        let out = endpoint(
            quote!(
                crate = "rongcloud",
                path = "/g.json",
                encoding = "form",
                rate_limit(items = 20, per = second, counted_by = to_group_id)
            ),
            parse_quote! {
                pub struct GroupPublish { pub to_group_id: Vec<String> }
            },
        );
        assert!(
            !out.contains("compile_error") && !out.contains("unreachable"),
            "{out}"
        );
        assert!(out.contains("fn rate_weight"), "{out}");
        assert!(out.contains("rongcloud :: __private"), "{out}");
        assert!(!out.contains("api_core"), "{out}");
    }

    #[test]
    fn derives_fall_back_too() {
        let int_enum = expand_int_enum(&parse_quote!(
            enum Kind {
                A = 1,
                B,
            }
        ));
        let out = int_enum.to_string();
        assert!(
            out.contains("compile_error") && out.contains("Deserialize"),
            "{out}"
        );
        let validate = expand_validate(&parse_quote! {
            struct Part { #[validate(max_chars = "x")] title: String }
        });
        let out = validate.to_string();
        assert!(
            out.contains("compile_error") && out.contains("Validate for Part"),
            "{out}"
        );
    }
}
