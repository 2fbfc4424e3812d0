//! `#[endpoint]`: the item's `Endpoint`, `Validate` and (JSON) `Serialize`
//! impls, `Recipients` for bulk sends, the setters and `send`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use crate::emit::{form, json, setter, validate};
use crate::model::{Encoding, Endpoint, Method, RateUnit};

/// Everything `#[endpoint]` adds to the item (which the caller emits).
pub fn endpoint(model: &Endpoint) -> TokenStream {
    let private = model.runtime.private();
    let krate = model.runtime.krate();
    let name = &model.input.ident;
    let (impl_generics, ty_generics, where_clause) = model.input.generics.split_for_impl();
    let path = &model.path;
    let encoding = match model.encoding {
        Encoding::Form => quote!(#private::Encoding::Form),
        Encoding::Json => quote!(#private::Encoding::Json),
    };
    let max_recipients = match model.max_recipients {
        Some(max) => quote!(::core::option::Option::Some(#max)),
        None => quote!(::core::option::Option::None),
    };
    let response = match model.response {
        Some(ty) => quote!(#ty),
        None => quote!(#krate::CodeOnly),
    };
    let idempotent = model.idempotent;
    let rate_limits = model.rate_limits.iter().map(|limit| {
        let amount = limit.amount;
        let seconds = limit.per_seconds;
        let window = quote!(#private::Duration::from_secs(#seconds));
        match &limit.unit {
            RateUnit::Calls => {
                quote_spanned!(limit.span=> #private::RateLimit::calls(#amount, #window))
            }
            RateUnit::Recipients => {
                quote_spanned!(limit.span=> #private::RateLimit::recipients(#amount, #window))
            }
            RateUnit::Items(field) => {
                quote_spanned!(limit.span=> #private::RateLimit::items(#amount, #window, &#private::CountedField { wire_name: #field }))
            }
        }
    });
    let method = (model.method == Method::Get)
        .then(|| quote!(const METHOD: #private::HttpMethod = #private::HttpMethod::Get;));
    let response_shape = model.response_shape.as_ref().map(|(code, message)| {
        quote! {
            const RESPONSE_SHAPE: #private::ResponseShape = #private::ResponseShape::new(#code, #message);
        }
    });
    // Spanned at the field's type, so that a field that is not a
    // collection is reported there, with `RateCount`'s message.
    let rate_weight_fn = model.rate_weight.map(|(ident, ty)| {
        let count =
            quote_spanned!(ty.span()=> <#ty as #private::RateCount>::rate_count(&self.#ident));
        quote! {
            fn rate_weight(&self) -> ::core::primitive::usize {
                #count
            }
        }
    });
    // Spanned at the field's type, so that a field that cannot say whether
    // it is set is reported there, with `IsSet`'s message.
    let is_idempotent_fn = model.idempotent_unless.map(|(ident, ty)| {
        let set = quote_spanned!(ty.span()=> <#ty as #private::IsSet>::is_set(&self.#ident));
        quote! {
            fn is_idempotent(&self) -> ::core::primitive::bool {
                !#set
            }
        }
    });
    let recipients_fn = model.recipients.map(|ident| {
        quote! {
            fn recipients(&self) -> ::core::option::Option<&[::std::string::String]> {
                ::core::option::Option::Some(&self.#ident)
            }
        }
    });
    // A bulk send copies the call once per batch of recipients, so the
    // copy needs `Clone`. The impl is bounded on `Self: Clone` rather than
    // emitted only for a visible `#[derive(Clone)]`, so a hand-written
    // `impl Clone` works too; `for<'__w>` makes the bound one the compiler
    // checks where the impl is used, since a trivially false bound on a
    // non-generic type is refused (rust-lang/rust#48214).
    let recipients_impl = model.recipients.map(|ident| {
        let mut generics = model.input.generics.clone();
        generics
            .make_where_clause()
            .predicates
            .push(syn::parse_quote!(for<'__w> #name #ty_generics: ::core::clone::Clone));
        let clone_where = &generics.where_clause;
        quote! {
            #[automatically_derived]
            impl #impl_generics #private::Recipients for #name #ty_generics #clone_where {
                fn with_recipients(&self, recipients: &[::std::string::String]) -> Self {
                    let mut copy = ::core::clone::Clone::clone(self);
                    copy.#ident = ::std::borrow::ToOwned::to_owned(recipients);
                    copy
                }
            }
        }
    });
    let validate_impl = validate::validate_impl(
        model.input,
        &model.runtime,
        model.fields.iter().map(|field| &field.rules),
        model.check,
    );
    let (encode_body, serialize_impl) = match model.encoding {
        Encoding::Form => (form::body(&private, &model.fields), None),
        Encoding::Json => (
            quote!(#private::to_json_body(self)),
            Some(json::serialize_impl(model)),
        ),
    };
    let setters = model
        .fields
        .iter()
        .filter_map(|field| field.setter.as_ref())
        .map(setter);

    quote! {
        #validate_impl

        #[automatically_derived]
        impl #impl_generics #private::Endpoint for #name #ty_generics #where_clause {
            const PATH: &'static ::core::primitive::str = #path;
            const ENCODING: #private::Encoding = #encoding;
            const MAX_RECIPIENTS: ::core::option::Option<::core::primitive::usize> = #max_recipients;
            const IDEMPOTENT: ::core::primitive::bool = #idempotent;
            const RATE_LIMITS: &'static [#private::RateLimit] = &[#(#rate_limits),*];
            #method
            #response_shape
            type Response = #response;

            fn encode_body(&self) -> ::core::result::Result<::std::vec::Vec<::core::primitive::u8>, #private::EncodeError> {
                #encode_body
            }

            #is_idempotent_fn

            #recipients_fn

            #rate_weight_fn
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
