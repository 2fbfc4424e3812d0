//! What a macro emits when the item has a mistake, beside the errors: the
//! impls the type would have had, with bodies that are never run (the crate
//! does not compile), as thiserror's `fallback.rs` does.
//!
//! Without them every use of the type (`.send(&client)`, a setter, a bulk
//! send, an `E: Endpoint` bound) would fail too, and the one real mistake
//! would drown in errors that follow from it. What the stubs declare comes
//! from the parsed item as far as it parsed (the response type, the
//! recipients field, the setters), so that uses type-check as they would
//! have.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast;
use crate::attr::EncodingKind;
use crate::check;
use crate::emit;
use crate::model::{Runtime, Setter};

/// The stubs of `#[endpoint]`.
pub fn endpoint(parsed: &ast::Endpoint, runtime: &Runtime) -> TokenStream {
    let private = runtime.private();
    let krate = runtime.krate();
    let input = parsed.input;
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let args = &parsed.attrs;
    let response = match &args.response {
        Some(ty) => quote!(#ty),
        None => quote!(#krate::CodeOnly),
    };
    let max_recipients = match &args.max_recipients {
        Some(max) => {
            let max = max.value;
            quote!(::core::option::Option::Some(#max))
        }
        None => quote!(::core::option::Option::None),
    };
    let fields = parsed.fields.as_deref().unwrap_or_default();
    let recipients_impl = fields
        .iter()
        .any(|field| field.args.recipients.is_some())
        .then(|| {
            let mut generics = input.generics.clone();
            generics
                .make_where_clause()
                .predicates
                .push(syn::parse_quote!(for<'__w> #name #ty_generics: ::core::clone::Clone));
            let clone_where = &generics.where_clause;
            quote! {
                #[automatically_derived]
                impl #impl_generics #private::Recipients for #name #ty_generics #clone_where {
                    fn with_recipients(&self, _: &[::std::string::String]) -> Self {
                        ::core::unreachable!()
                    }
                }
            }
        });
    let serialize_impl = args
        .encoding
        .as_ref()
        .is_some_and(|encoding| encoding.value == EncodingKind::Json)
        .then(|| {
            quote! {
                #[automatically_derived]
                impl #impl_generics #private::serde::Serialize for #name #ty_generics #where_clause {
                    fn serialize<__S>(&self, _: __S) -> ::core::result::Result<__S::Ok, __S::Error>
                    where
                        __S: #private::serde::Serializer,
                    {
                        ::core::unreachable!()
                    }
                }
            }
        });
    let setters = setters_of(
        fields
            .iter()
            .map(|field| (field.ident, field.vis, field.ty)),
    );
    let validate_impl = validate_stub(input, runtime);
    quote! {
        #validate_impl

        #[automatically_derived]
        impl #impl_generics #private::Endpoint for #name #ty_generics #where_clause {
            const PATH: &'static ::core::primitive::str = "";
            const ENCODING: #private::Encoding = #private::Encoding::Form;
            const MAX_RECIPIENTS: ::core::option::Option<::core::primitive::usize> = #max_recipients;
            type Response = #response;

            fn encode_body(&self) -> ::core::result::Result<::std::vec::Vec<::core::primitive::u8>, #private::EncodeError> {
                ::core::unreachable!()
            }
        }

        #serialize_impl

        #recipients_impl

        #[automatically_derived]
        impl #impl_generics #name #ty_generics #where_clause {
            #(#setters)*

            /// Validates this call, signs it and sends it with `client`.
            pub async fn send(
                &self,
                client: &#private::Client,
            ) -> ::core::result::Result<
                <Self as #private::Endpoint>::Response,
                #private::Error,
            > {
                client.send(self).await
            }
        }
    }
}

/// The stub of `#[derive(Validate)]`.
pub fn validate(parsed: &ast::Validate, runtime: &Runtime) -> TokenStream {
    validate_stub(parsed.input, runtime)
}

fn validate_stub(input: &syn::DeriveInput, runtime: &Runtime) -> TokenStream {
    let private = runtime.private();
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::Validate for #name #ty_generics #where_clause {
            fn validate_into(&self, _: &mut #private::Report) {
                ::core::unreachable!()
            }
        }
    }
}

/// The stub of `#[derive(Setters)]`: the setters of the fields that would
/// have one. A field marked `skip` (even with a mistake, like `skip = 1`)
/// gets none, since a function of its own name may exist.
pub fn setters(parsed: &ast::Setters) -> TokenStream {
    let Some(fields) = &parsed.fields else {
        return TokenStream::new();
    };
    let setters = setters_of(
        fields
            .iter()
            .filter(|field| field.args.skip.is_none())
            .map(|field| (field.ident, field.vis, field.ty)),
    );
    if setters.is_empty() {
        return TokenStream::new();
    }
    let input = parsed.input;
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #name #ty_generics #where_clause {
            #(#setters)*
        }
    }
}

fn setters_of<'a>(
    fields: impl Iterator<Item = (&'a syn::Ident, &'a syn::Visibility, &'a syn::Type)>,
) -> Vec<TokenStream> {
    fields
        .filter_map(|(ident, vis, ty)| {
            let inner = check::setter_type(vis, ty)?;
            Some(emit::setter(&Setter {
                ident,
                inner,
                summary: String::new(),
                docs: Vec::new(),
            }))
        })
        .collect()
}

/// The stubs of `#[derive(IntEnum)]`.
pub fn int_enum(parsed: &ast::IntEnum, runtime: &Runtime) -> TokenStream {
    let private = runtime.private();
    let input = parsed.input;
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::serde::Serialize for #name #ty_generics #where_clause {
            fn serialize<__S>(&self, _: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                ::core::unreachable!()
            }
        }

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #name {
            fn deserialize<__D>(_: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                ::core::unreachable!()
            }
        }

        #[automatically_derived]
        impl #impl_generics #private::FormValue for #name #ty_generics #where_clause {
            fn append_to(&self, _: #private::FormName<'_>, _: &mut #private::FormEncoder) {
                ::core::unreachable!()
            }
        }
    }
}
