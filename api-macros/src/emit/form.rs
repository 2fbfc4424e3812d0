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
        // Made in a `const` block: whether the name needs percent-encoding
        // is found once, by the compiler, and a plain one (almost every
        // name the API has) is then copied on every call.
        let name = field
            .wire
            .name()
            .map(|name| quote! { const { #private::FormName::new(#name) } });
        match &field.wire {
            Wire::Flatten => quote_spanned! {ty_span=>
                <#ty as #private::FormFields>::append_fields(&self.#ident, &mut __form)?;
            },
            Wire::Json {
                inner: Some(inner), ..
            } => quote_spanned! {ty_span=>
                if let ::core::option::Option::Some(__value) = &self.#ident {
                    #private::FormEncoder::json::<#inner>(&mut __form, #name, __value)?;
                }
            },
            Wire::Json { inner: None, .. } => quote_spanned! {ty_span=>
                #private::FormEncoder::json::<#ty>(&mut __form, #name, &self.#ident)?;
            },
            Wire::IntBool { .. } => quote_spanned! {ty_span=>
                if let ::core::option::Option::Some(__value) = <#ty as #private::IntBool>::as_int(&self.#ident) {
                    #private::FormValue::append_to(&__value, #name, &mut __form);
                }
            },
            // The map builds each entry's name (`name[key]`) itself.
            Wire::Bracketed { name } => quote_spanned! {ty_span=>
                <#ty as #private::FormMap>::append_entries(&self.#ident, #name, &mut __form);
            },
            Wire::Plain { .. } => quote_spanned! {ty_span=>
                <#ty as #private::FormValue>::append_to(&self.#ident, #name, &mut __form);
            },
        }
    });
    quote! {
        let mut __form = #private::FormEncoder::with_capacity(256);
        #(#appends)*
        ::core::result::Result::Ok(__form.finish().into_bytes())
    }
}
