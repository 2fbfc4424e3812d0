//! Builder-style setters, for `#[derive(Setters)]` and `#[endpoint]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use crate::model::{self, Setter};

/// `#[derive(Setters)]`: an inherent impl with every setter, or nothing
/// when no field gets one.
pub fn setters(model: &model::Setters) -> TokenStream {
    if model.setters.is_empty() {
        return TokenStream::new();
    }
    let name = &model.input.ident;
    let (impl_generics, ty_generics, where_clause) = model.input.generics.split_for_impl();
    let setters = model.setters.iter().map(setter);
    quote! {
        #[automatically_derived]
        impl #impl_generics #name #ty_generics #where_clause {
            #(#setters)*
        }
    }
}

/// A builder-style setter, `pub fn field(mut self, value: impl Into<T>) ->
/// Self`, documented by its summary and then by the field's own doc
/// attributes, after an empty line. Spanned at the field's name, so that a
/// clash with another function of that name points at the field.
pub fn setter(setter: &Setter) -> TokenStream {
    let Setter {
        ident,
        inner,
        summary,
        docs,
    } = setter;
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    quote_spanned! {ident.span()=>
        #[doc = #summary]
        #separator
        #(#docs)*
        #[must_use]
        pub fn #ident(mut self, value: impl ::core::convert::Into<#inner>) -> Self {
            self.#ident = ::core::option::Option::Some(::core::convert::Into::into(value));
            self
        }
    }
}
