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
/// Self` (`value: T` when `T` is a primitive number, `bool` or `char`),
/// documented by its summary and then by the field's own doc attributes,
/// after an empty line. Spanned at the field's name, so that a clash with
/// another function of that name points at the field.
pub fn setter(setter: &Setter) -> TokenStream {
    let Setter {
        ident,
        inner,
        summary,
        docs,
    } = setter;
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    // A primitive is taken as itself: behind `impl Into<u32>` an integer
    // literal has no type to infer (`2` would be an `i32`, which does not
    // convert), so callers had to write `2u32`.
    let (parameter, value) = if is_primitive(inner) {
        (quote!(#inner), quote!(value))
    } else {
        (
            quote!(impl ::core::convert::Into<#inner>),
            quote!(::core::convert::Into::into(value)),
        )
    };
    quote_spanned! {ident.span()=>
        #[doc = #summary]
        #separator
        #(#docs)*
        #[must_use]
        pub fn #ident(mut self, value: #parameter) -> Self {
            self.#ident = ::core::option::Option::Some(#value);
            self
        }
    }
}

/// Whether `ty` names a primitive number, `bool` or `char` (a bare name:
/// the only way to write one in a field short of a path to
/// `core::primitive`, which gets the `Into` setter and still works).
fn is_primitive(ty: &syn::Type) -> bool {
    const PRIMITIVES: [&str; 16] = [
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
        "f32", "f64", "bool", "char",
    ];
    let syn::Type::Path(path) = ty else {
        return false;
    };
    path.qself.is_none()
        && path
            .path
            .get_ident()
            .is_some_and(|ident| PRIMITIVES.iter().any(|p| ident == p))
}
