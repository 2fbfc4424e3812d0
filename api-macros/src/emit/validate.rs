//! `impl Validate`: the rule calls of every field, then the struct's own
//! `check` function.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::DeriveInput;

use crate::model::{self, CharClass, Rule, Rules, Runtime};

/// `#[derive(Validate)]`.
pub fn validate(model: &model::Validate) -> TokenStream {
    validate_impl(model.input, &model.runtime, &model.fields, model.check)
}

/// The `Validate` impl of `input` with these field rules and `check`.
pub fn validate_impl<'a>(
    input: &DeriveInput,
    runtime: &Runtime,
    fields: impl IntoIterator<Item = &'a Rules<'a>>,
    check: Option<&syn::Path>,
) -> TokenStream {
    let private = runtime.private();
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let statements = fields
        .into_iter()
        .filter_map(|field| field_rules(&private, field));
    let check_call = check.map(|path| quote!(#path(self, __report);));
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::Validate for #name #ty_generics #where_clause {
            fn validate_into(&self, __report: &mut #private::Report) {
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
fn field_rules(private: &TokenStream, field: &Rules) -> Option<TokenStream> {
    if field.rules.is_empty() {
        return None;
    }
    let ident = field.ident;
    let ty = field.ty;
    let value = quote!(&self.#ident);
    let rules = quote!(#private::rules);
    let calls = field.rules.iter().map(|rule| match rule {
        // Checked to be `Vec<String>`; max_recipients is set when recipients is.
        Rule::Recipients(span) => quote_spanned! {*span=>
            #rules::recipients(__report, #value, ::core::option::Option::unwrap_or(<Self as #private::Endpoint>::MAX_RECIPIENTS, ::core::primitive::usize::MAX));
        },
        Rule::NonEmpty(span) => quote_spanned!(*span=> #rules::non_empty::<#ty>(__report, #value);),
        Rule::Size {
            function,
            limit,
            span,
        } => {
            let function = format_ident!("{}", function, span = *span);
            quote_spanned!(*span=> #rules::#function::<#ty>(__report, #value, #limit);)
        }
        Rule::Range { min, max, span } => {
            quote_spanned!(*span=> #rules::range::<#ty>(__report, #value, #min, #max);)
        }
        Rule::Len { length, span } => {
            quote_spanned!(*span=> #rules::len::<#ty>(__report, #value, #length);)
        }
        Rule::Chars { class, span } => {
            let set = match class {
                CharClass::Digits => quote!(#private::CharSet::DIGITS),
                CharClass::Alpha => quote!(#private::CharSet::ALPHA),
                CharClass::Alnum => quote!(#private::CharSet::ALNUM),
                CharClass::Set { ascii, spec } => {
                    let ascii = proc_macro2::Literal::u128_suffixed(*ascii);
                    let name = format!("characters of [{spec}]");
                    quote!(#private::CharSet::new(#ascii, #name))
                }
            };
            quote_spanned!(*span=> #rules::chars::<#ty>(__report, #value, &#set);)
        }
        Rule::Nested(span) => quote_spanned!(*span=> #rules::nested::<#ty>(__report, #value);),
    });
    let path_name = &field.path_name;
    Some(quote! {
        __report.field(#path_name, |__report| { #(#calls)* });
    })
}
