//! The body of `encode_body` for a form endpoint.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use crate::model::{EndpointField, Wire};

/// Appends every field to a form body. Trait methods are called as
/// `<FieldType as Trait>::method`, so a field type without the trait is
/// reported at the field's type.
pub fn body(private: &TokenStream, fields: &[EndpointField]) -> TokenStream {
    let appends = fields.iter().map(|field| {
        let ident = field.rules.ident;
        let ty = field.rules.ty;
        let ty_span = ty.span();
        match &field.wire {
            Wire::Flatten => quote_spanned! {ty_span=>
                <#ty as #private::FormFields>::append_fields(&self.#ident, &mut __form)?;
            },
            Wire::Json {
                name,
                inner: Some(inner),
            } => {
                let name = form_name(private, name);
                quote_spanned! {ty_span=>
                    if let ::core::option::Option::Some(__value) = &self.#ident {
                        #private::FormEncoder::json::<#inner>(&mut __form, #name, __value)?;
                    }
                }
            }
            Wire::Json { name, inner: None } => {
                let name = form_name(private, name);
                quote_spanned! {ty_span=>
                    #private::FormEncoder::json::<#ty>(&mut __form, #name, &self.#ident)?;
                }
            }
            Wire::IntBool { name } => {
                let name = form_name(private, name);
                quote_spanned! {ty_span=>
                    if let ::core::option::Option::Some(__value) = <#ty as #private::IntBool>::as_int(&self.#ident) {
                        #private::FormValue::append_to(&__value, #name, &mut __form);
                    }
                }
            }
            Wire::Bracketed { name } => quote_spanned! {ty_span=>
                <#ty as #private::FormMap>::append_entries(&self.#ident, #name, &mut __form);
            },
            Wire::Plain { name, .. } => {
                let name = form_name(private, name);
                quote_spanned! {ty_span=>
                    <#ty as #private::FormValue>::append_to(&self.#ident, #name, &mut __form);
                }
            }
        }
    });
    quote! {
        let mut __form = #private::FormEncoder::with_capacity(256);
        #(#appends)*
        ::core::result::Result::Ok(__form.finish().into_bytes())
    }
}

/// A field's wire name as a `FormName`. A name of bytes the form encoding
/// leaves as they are (almost every name the API has) is checked once, by
/// the compiler in a `const` block, and then copied on every call instead
/// of being percent-encoded; any other is encoded when written.
//
// The set is the form encoding's unreserved bytes, as in api-core's
// `is_unreserved` (a proc-macro crate cannot call it). Were the two ever to
// differ, `FormName::plain` would refuse the name and the `const` block
// would not compile: the body cannot go out wrong.
fn form_name(private: &TokenStream, name: &str) -> TokenStream {
    let plain = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_'));
    if plain {
        quote! { const { #private::FormName::plain(#name) } }
    } else {
        quote! { #private::FormName::new(#name) }
    }
}
