//! Code generation. Everything here has already been checked.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DataStruct, DeriveInput, Fields, Ident, LitStr, Type, Visibility};

use crate::attr::{self, EncodingKind, Errors, FieldArgs, Mode, SetterArgs};
use crate::{check, ty};

/// A field with its parsed arguments.
pub struct FieldModel<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub vis: &'a Visibility,
    pub args: FieldArgs,
    pub wire: String,
}

impl FieldModel<'_> {
    fn path_name(&self) -> String {
        let name = self.ident.to_string();
        name.strip_prefix("r#").unwrap_or(&name).to_owned()
    }
}

/// What a macro does with a struct's field names, for the messages about a
/// struct that has none.
#[derive(Clone, Copy)]
enum Purpose {
    /// `#[endpoint]` and `#[derive(Validate)]`: fields are sent by name.
    Send,
    /// `#[derive(Setters)]`: setters are named after fields.
    Set,
}

impl Purpose {
    fn tuple_reason(self) -> &'static str {
        match self {
            Purpose::Send => "a tuple struct's fields have no names to send",
            Purpose::Set => "a tuple struct's fields have no names to give setters",
        }
    }

    fn unit_reason(self) -> &'static str {
        match self {
            Purpose::Send => "a unit struct has nothing to send",
            Purpose::Set => "a unit struct has no field to set",
        }
    }
}

/// Named fields of a struct, or an error pointing at what the input is.
fn named_fields<'a>(
    item: &'a DeriveInput,
    what: &str,
    purpose: Purpose,
    errors: &mut Errors,
) -> Option<&'a syn::FieldsNamed> {
    match &item.data {
        Data::Struct(DataStruct {
            fields: Fields::Named(named),
            ..
        }) => Some(named),
        Data::Struct(DataStruct {
            fields: Fields::Unnamed(unnamed),
            ..
        }) => {
            errors.push(
                unnamed.span(),
                format!(
                    "{what} needs a struct with named fields; {}",
                    purpose.tuple_reason()
                ),
            );
            None
        }
        Data::Struct(DataStruct {
            fields: Fields::Unit,
            ..
        }) => {
            errors.push(
                item.ident.span(),
                format!(
                    "{what} needs a struct with named fields; {}",
                    purpose.unit_reason()
                ),
            );
            None
        }
        Data::Enum(data) => {
            errors.push(
                data.enum_token.span(),
                format!("{what} goes on a struct with named fields, not on an enum"),
            );
            None
        }
        Data::Union(data) => {
            errors.push(
                data.union_token.span(),
                format!("{what} goes on a struct with named fields, not on a union"),
            );
            None
        }
    }
}

fn field_models<'a>(
    fields: &'a syn::FieldsNamed,
    mode: Mode,
    errors: &mut Errors,
) -> Vec<FieldModel<'a>> {
    fields
        .named
        .iter()
        .filter_map(|field| {
            let ident = field.ident.as_ref()?;
            let args = attr::parse_field_args(&field.attrs, mode, errors);
            let wire = args
                .rename
                .as_ref()
                .map(|r| r.value.clone())
                .unwrap_or_else(|| attr::camel_case(&ident.to_string()));
            Some(FieldModel {
                ident,
                ty: &field.ty,
                vis: &field.vis,
                args,
                wire,
            })
        })
        .collect()
}

fn strip_attrs(item: &mut DeriveInput, name: &str) {
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
}

/// `#[endpoint(...)]`.
pub fn endpoint(args: TokenStream, input: DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let endpoint_args = attr::parse_endpoint_args(args, &mut errors);
    let mut output_item = input.clone();
    strip_attrs(&mut output_item, "endpoint");

    let Some(named) = named_fields(&input, "`#[endpoint]`", Purpose::Send, &mut errors) else {
        let compile_errors = errors.to_compile_errors();
        return quote!(#output_item #compile_errors);
    };
    let fields = field_models(named, Mode::Endpoint, &mut errors);
    check::endpoint(&endpoint_args, &fields, &mut errors);
    if !errors.is_empty() {
        let compile_errors = errors.to_compile_errors();
        return quote!(#output_item #compile_errors);
    }

    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let path = endpoint_args
        .path
        .as_ref()
        .map(|p| LitStr::new(&p.value, p.span));
    let encoding = endpoint_args
        .encoding
        .as_ref()
        .map_or(EncodingKind::Form, |e| e.value);
    let encoding_tokens = match encoding {
        EncodingKind::Form => quote!(::api_core::__private::Encoding::Form),
        EncodingKind::Json => quote!(::api_core::__private::Encoding::Json),
    };
    let max_recipients = match &endpoint_args.max_recipients {
        Some(max) => {
            let value = max.value;
            quote!(::core::option::Option::Some(#value))
        }
        None => quote!(::core::option::Option::None),
    };
    let response = match &endpoint_args.response {
        Some(ty) => quote!(#ty),
        None => quote!(::api_core::CodeOnly),
    };
    let idempotent = endpoint_args.idempotent.is_some();
    let rate_limits = endpoint_args.rate_limits.iter().map(|limit| {
        let amount = limit.value.amount;
        let seconds = limit.value.per_seconds;
        let constructor = match limit.value.unit.value {
            attr::RateUnit::Calls => quote!(calls),
            attr::RateUnit::Recipients => quote!(recipients),
        };
        quote_spanned! {limit.span=>
            ::api_core::__private::RateLimit::#constructor(#amount, ::api_core::__private::Duration::from_secs(#seconds))
        }
    });
    let recipients_fn = fields
        .iter()
        .find(|f| f.args.recipients.is_some())
        .map(|field| {
            let ident = field.ident;
            quote! {
                fn recipients(&self) -> ::core::option::Option<&[::std::string::String]> {
                    ::core::option::Option::Some(&self.#ident)
                }
            }
        });
    // A bulk send copies the call once per batch of recipients, so the
    // copy needs `Clone`; only a derived `Clone` is visible here.
    let recipients_impl = fields
        .iter()
        .find(|f| f.args.recipients.is_some())
        .filter(|_| derives_clone(&input))
        .map(|field| {
            let ident = field.ident;
            // A derived `Clone` of a generic struct needs its parameters to be
            // `Clone`: bound the copy on that rather than on the struct's own
            // bounds.
            let mut generics = input.generics.clone();
            generics
                .make_where_clause()
                .predicates
                .push(syn::parse_quote!(#name #ty_generics: ::core::clone::Clone));
            let clone_where = &generics.where_clause;
            quote! {
                #[automatically_derived]
                impl #impl_generics ::api_core::__private::Recipients for #name #ty_generics #clone_where {
                    fn with_recipients(&self, recipients: &[::std::string::String]) -> Self {
                        let mut copy = ::core::clone::Clone::clone(self);
                        copy.#ident = ::std::borrow::ToOwned::to_owned(recipients);
                        copy
                    }
                }
            }
        });
    let validate_impl = validate_impl(&input, &fields, endpoint_args.check.as_ref());
    let (encode_body, serialize_impl) = match encoding {
        EncodingKind::Form => (form_body(&fields), None),
        EncodingKind::Json => (
            quote!(::api_core::__private::to_json_body(self)),
            Some(serialize_impl(&input, &fields)),
        ),
    };
    let setters = endpoint_setters(&fields);

    quote! {
        #output_item

        #validate_impl

        #[automatically_derived]
        impl #impl_generics ::api_core::__private::Endpoint for #name #ty_generics #where_clause {
            const PATH: &'static ::core::primitive::str = #path;
            const ENCODING: ::api_core::__private::Encoding = #encoding_tokens;
            const MAX_RECIPIENTS: ::core::option::Option<::core::primitive::usize> = #max_recipients;
            const IDEMPOTENT: ::core::primitive::bool = #idempotent;
            const RATE_LIMITS: &'static [::api_core::__private::RateLimit] = &[#(#rate_limits),*];
            type Response = #response;

            fn encode_body(&self) -> ::core::result::Result<::std::vec::Vec<::core::primitive::u8>, ::api_core::__private::EncodeError> {
                #encode_body
            }

            #recipients_fn
        }

        #serialize_impl

        #recipients_impl

        #[automatically_derived]
        impl #impl_generics #name #ty_generics #where_clause {
            #(#setters)*

            /// Validates this call (nothing is sent if a rule is broken),
            /// signs it and sends it with `client`, then decodes the answer.
            pub async fn send(
                &self,
                client: &::api_core::__private::Client,
            ) -> ::core::result::Result<
                <Self as ::api_core::__private::Endpoint>::Response,
                ::api_core::__private::Error,
            > {
                client.send(self).await
            }
        }
    }
}

/// `#[derive(Validate)]`.
pub fn validate(input: DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let check_fn = attr::parse_validate_container(&input.attrs, &mut errors);
    let Some(named) = named_fields(&input, "`#[derive(Validate)]`", Purpose::Send, &mut errors)
    else {
        return errors.to_compile_errors();
    };
    let fields = field_models(named, Mode::Validate, &mut errors);
    for field in &fields {
        check::check_range(field, &mut errors);
    }
    if !errors.is_empty() {
        return errors.to_compile_errors();
    }
    validate_impl(&input, &fields, check_fn.as_ref())
}

fn validate_impl(
    input: &DeriveInput,
    fields: &[FieldModel],
    check_fn: Option<&syn::Path>,
) -> TokenStream {
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let statements = fields.iter().filter_map(field_rules);
    let check_call = check_fn.map(|path| quote!(#path(self, __report);));
    quote! {
        #[automatically_derived]
        impl #impl_generics ::api_core::__private::Validate for #name #ty_generics #where_clause {
            fn validate_into(&self, __report: &mut ::api_core::__private::Report) {
                #(#statements)*
                #check_call
            }
        }
    }
}

/// The rule calls of one field, or `None` when it has no rule.
///
/// Each rule function is called with the field's type as its explicit type
/// argument (`rules::max_chars::<u32>(...)`), so that a rule the type cannot
/// meet is reported at the field's type, with the `on_unimplemented` message
/// of the rule's trait.
fn field_rules(field: &FieldModel) -> Option<TokenStream> {
    let ident = field.ident;
    let ty = field.ty;
    let value = quote!(&self.#ident);
    let rules = quote!(::api_core::__private::rules);
    let a = &field.args;
    let mut calls = Vec::new();
    if let Some(span) = a.recipients {
        // Checked to be `Vec<String>`; max_recipients is set when recipients is.
        calls.push(quote_spanned!(span=> #rules::recipients(__report, #value, ::core::option::Option::unwrap_or(<Self as ::api_core::__private::Endpoint>::MAX_RECIPIENTS, ::core::primitive::usize::MAX));));
    }
    if let Some(span) = a.non_empty {
        calls.push(quote_spanned!(span=> #rules::non_empty::<#ty>(__report, #value);));
    }
    for (limit, function) in [
        (&a.max_chars, "max_chars"),
        (&a.max_bytes, "max_bytes"),
        (&a.min_items, "min_items"),
        (&a.max_items, "max_items"),
    ] {
        if let Some(limit) = limit {
            let function = format_ident!("{}", function, span = limit.span);
            let value_limit = limit.value;
            calls.push(
                quote_spanned!(limit.span=> #rules::#function::<#ty>(__report, #value, #value_limit);),
            );
        }
    }
    if a.min.is_some() || a.max.is_some() {
        let span = a
            .min
            .as_ref()
            .or(a.max.as_ref())
            .map_or_else(Span::call_site, |s| s.span);
        let min = a.min.as_ref().map_or(i64::MIN, |m| m.value);
        let max = a.max.as_ref().map_or(i64::MAX, |m| m.value);
        calls.push(quote_spanned!(span=> #rules::range::<#ty>(__report, #value, #min, #max);));
    }
    if let Some(span) = a.nested.or(a.flatten) {
        calls.push(quote_spanned!(span=> #rules::nested::<#ty>(__report, #value);));
    }
    if calls.is_empty() {
        return None;
    }
    let path_name = field.path_name();
    Some(quote! {
        __report.field(#path_name, |__report| { #(#calls)* });
    })
}

/// The body of `encode_body` for a form endpoint. Trait methods are called
/// as `<FieldType as Trait>::method`, so a field type without the trait is
/// reported at the field's type.
fn form_body(fields: &[FieldModel]) -> TokenStream {
    let private = quote!(::api_core::__private);
    let appends = fields.iter().map(|field| {
        let ident = field.ident;
        let ty = field.ty;
        let wire = &field.wire;
        let a = &field.args;
        let ty_span = field.ty.span();
        if a.flatten.is_some() {
            quote_spanned!(ty_span=> <#ty as #private::FormFields>::append_fields(&self.#ident, &mut __form)?;)
        } else if a.json.is_some() {
            if let Some(inner) = ty::option_inner(field.ty) {
                quote_spanned! {ty_span=>
                    if let ::core::option::Option::Some(__value) = &self.#ident {
                        #private::FormEncoder::json::<#inner>(&mut __form, #wire, __value)?;
                    }
                }
            } else {
                quote_spanned!(ty_span=> #private::FormEncoder::json::<#ty>(&mut __form, #wire, &self.#ident)?;)
            }
        } else if a.int_bool.is_some() {
            quote_spanned! {ty_span=>
                if let ::core::option::Option::Some(__value) = <#ty as #private::IntBool>::as_int(&self.#ident) {
                    #private::FormValue::append_to(&__value, #wire, &mut __form);
                }
            }
        } else {
            quote_spanned!(ty_span=> <#ty as #private::FormValue>::append_to(&self.#ident, #wire, &mut __form);)
        }
    });
    quote! {
        let mut __form = #private::FormEncoder::with_capacity(256);
        #(#appends)*
        ::core::result::Result::Ok(__form.finish().into_bytes())
    }
}

fn serialize_impl(input: &DeriveInput, fields: &[FieldModel]) -> TokenStream {
    let private = quote!(::api_core::__private);
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let entries = fields.iter().map(|field| {
        let ident = field.ident;
        let wire = &field.wire;
        let a = &field.args;
        let ty = field.ty;
        let ty_span = ty.span();
        // `value_ty` is the type of `value`, named so that a type that cannot
        // be serialized is reported at the field's type.
        let entry = |value_ty: TokenStream, value: TokenStream| {
            quote_spanned!(ty_span=> #private::serde::ser::SerializeMap::serialize_entry::<::core::primitive::str, #value_ty>(&mut __map, #wire, #value)?;)
        };
        if a.flatten.is_some() {
            quote_spanned!(ty_span=> <#ty as #private::JsonFields>::serialize_fields(&self.#ident, &mut __map)?;)
        } else if a.int_bool.is_some() {
            let put = entry(quote!(::core::primitive::u8), quote!(&__value));
            quote_spanned! {ty_span=>
                if let ::core::option::Option::Some(__value) = <#ty as #private::IntBool>::as_int(&self.#ident) { #put }
            }
        } else {
            let inner = ty::option_inner(field.ty);
            let optional = inner.is_some();
            let (value_ty, value) = match (a.json.is_some(), inner) {
                // Spanned at the type, so that `JsonString<'_, T>: Serialize`
                // failing for want of `T: Serialize` points at the field's type.
                (true, Some(inner)) => (
                    quote_spanned!(inner.span()=> ::api_core::__private::JsonString<'_, #inner>),
                    quote!(&#private::JsonString::<#inner>(__value)),
                ),
                (true, None) => (
                    quote_spanned!(ty_span=> ::api_core::__private::JsonString<'_, #ty>),
                    quote!(&#private::JsonString::<#ty>(&self.#ident)),
                ),
                (false, Some(inner)) => (quote!(#inner), quote!(__value)),
                (false, None) => (quote!(#ty), quote!(&self.#ident)),
            };
            let put = entry(value_ty, value);
            if optional {
                quote! {
                    if let ::core::option::Option::Some(__value) = &self.#ident { #put }
                }
            } else {
                put
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::serde::Serialize for #name #ty_generics #where_clause {
            fn serialize<__S>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                let mut __map = #private::serde::Serializer::serialize_map(__serializer, ::core::option::Option::None)?;
                #(#entries)*
                #private::serde::ser::SerializeMap::end(__map)
            }
        }
    }
}

/// The setters of an endpoint: one for every public `Option<T>` field.
fn endpoint_setters(fields: &[FieldModel]) -> Vec<TokenStream> {
    fields
        .iter()
        .filter_map(|field| {
            let inner = setter_type(field.vis, field.ty)?;
            let summary = format!("Sets `{}` (the `{}` field).", field.path_name(), field.wire);
            Some(setter(field.ident, inner, &summary, &[]))
        })
        .collect()
}

/// A field of a `#[derive(Setters)]` struct, with its parsed arguments.
pub struct SetterField<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub vis: &'a Visibility,
    pub attrs: &'a [syn::Attribute],
    pub args: SetterArgs,
}

/// `#[derive(Setters)]`.
pub fn setters(input: DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    attr::reject_setters_container(&input.attrs, &mut errors);
    let Some(named) = named_fields(&input, "`#[derive(Setters)]`", Purpose::Set, &mut errors)
    else {
        return errors.to_compile_errors();
    };
    let fields: Vec<SetterField> = named
        .named
        .iter()
        .filter_map(|field| {
            Some(SetterField {
                ident: field.ident.as_ref()?,
                ty: &field.ty,
                vis: &field.vis,
                attrs: &field.attrs,
                args: attr::parse_setter_args(&field.attrs, &mut errors),
            })
        })
        .collect();
    check::setters(&fields, &mut errors);
    if !errors.is_empty() {
        return errors.to_compile_errors();
    }

    let setters: Vec<TokenStream> = fields
        .iter()
        .filter(|field| field.args.skip.is_none())
        .filter_map(|field| {
            let inner = setter_type(field.vis, field.ty)?;
            let name = field.ident.to_string();
            let summary = format!("Sets `{}`.", name.strip_prefix("r#").unwrap_or(&name));
            let docs: Vec<&syn::Attribute> = field
                .attrs
                .iter()
                .filter(|attr| attr.path().is_ident("doc"))
                .collect();
            Some(setter(field.ident, inner, &summary, &docs))
        })
        .collect();
    if setters.is_empty() {
        return TokenStream::new();
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #name #ty_generics #where_clause {
            #(#setters)*
        }
    }
}

/// `T` when a field gets a setter, which is when it is a public `Option<T>`.
pub fn setter_type<'a>(vis: &Visibility, ty: &'a Type) -> Option<&'a Type> {
    if matches!(vis, Visibility::Public(_)) {
        ty::option_inner(ty)
    } else {
        None
    }
}

/// A builder-style setter, `pub fn field(mut self, value: impl Into<T>) ->
/// Self`, documented by `summary` and then by `details` (the field's own doc
/// attributes, after an empty line). Spanned at the field's name, so that a
/// clash with another function of that name points at the field.
fn setter(ident: &Ident, inner: &Type, summary: &str, details: &[&syn::Attribute]) -> TokenStream {
    let separator = (!details.is_empty()).then(|| quote!(#[doc = ""]));
    quote_spanned! {ident.span()=>
        #[doc = #summary]
        #separator
        #(#details)*
        #[must_use]
        pub fn #ident(mut self, value: impl ::core::convert::Into<#inner>) -> Self {
            self.#ident = ::core::option::Option::Some(::core::convert::Into::into(value));
            self
        }
    }
}

/// Whether the struct has `#[derive(..., Clone, ...)]`.
fn derives_clone(input: &DeriveInput) -> bool {
    input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .any(|attr| {
            attr.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|paths| {
                paths
                    .iter()
                    .any(|path| path.segments.last().is_some_and(|s| s.ident == "Clone"))
            })
        })
}
