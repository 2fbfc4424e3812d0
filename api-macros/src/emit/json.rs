//! The `serde::Serialize` impl of a JSON endpoint: a map of its wire fields.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use crate::model::{Endpoint, Wire};

pub fn serialize_impl(model: &Endpoint) -> TokenStream {
    let private = model.runtime.private();
    let name = &model.input.ident;
    let (impl_generics, ty_generics, where_clause) = model.input.generics.split_for_impl();
    let entries = model.fields.iter().map(|field| {
        let ident = field.rules.ident;
        let ty = field.rules.ty;
        let ty_span = ty.span();
        // `value_ty` is the type of `value`, named so that a type that cannot
        // be serialized is reported at the field's type.
        let entry = |name: &str, value_ty: TokenStream, value: TokenStream| {
            quote_spanned! {ty_span=>
                #private::serde::ser::SerializeMap::serialize_entry::<::core::primitive::str, #value_ty>(&mut __map, #name, #value)?;
            }
        };
        let some = |put: TokenStream| {
            quote! {
                if let ::core::option::Option::Some(__value) = &self.#ident { #put }
            }
        };
        match &field.wire {
            Wire::Flatten => quote_spanned! {ty_span=>
                <#ty as #private::JsonFields>::serialize_fields(&self.#ident, &mut __map)?;
            },
            Wire::IntBool { name } => {
                let put = entry(name, quote!(::core::primitive::u8), quote!(&__value));
                quote_spanned! {ty_span=>
                    if let ::core::option::Option::Some(__value) = <#ty as #private::IntBool>::as_int(&self.#ident) { #put }
                }
            }
            // Spanned at the type, so that `JsonString<'_, T>: Serialize`
            // failing for want of `T: Serialize` points at the field's type.
            Wire::Json {
                name,
                inner: Some(inner),
            } => some(entry(
                name,
                {
                    let private = model.runtime.private_at(inner.span());
                    quote_spanned!(inner.span()=> #private::JsonString<'_, #inner>)
                },
                quote!(&#private::JsonString::<#inner>(__value)),
            )),
            Wire::Json { name, inner: None } => entry(
                name,
                {
                    let private = model.runtime.private_at(ty_span);
                    quote_spanned!(ty_span=> #private::JsonString<'_, #ty>)
                },
                quote!(&#private::JsonString::<#ty>(&self.#ident)),
            ),
            Wire::Plain {
                name,
                inner: Some(inner),
            } => some(entry(name, quote!(#inner), quote!(__value))),
            Wire::Plain { name, inner: None } => entry(name, quote!(#ty), quote!(&self.#ident)),
            // `check` refuses `bracketed` in a JSON body; were it here, a map
            // is an object.
            Wire::Bracketed { name } => entry(name, quote!(#ty), quote!(&self.#ident)),
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
