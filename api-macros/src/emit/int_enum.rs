//! `#[derive(IntEnum)]`: an enum sent as its discriminant, in forms and in
//! JSON, and read back from it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::IntEnum;

pub fn int_enum(model: &IntEnum) -> TokenStream {
    let private = model.runtime.private();
    let name = &model.input.ident;
    let variants = &model.variants;
    let expected = &model.expected;
    // `Self::A as i64` needs no `Copy`: the variant is a constant.
    let value = quote! {
        let __value: ::core::primitive::i64 = match self {
            #(Self::#variants => Self::#variants as ::core::primitive::i64,)*
        };
    };
    quote! {
        #[automatically_derived]
        impl #private::serde::Serialize for #name {
            fn serialize<__S>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                #value
                #private::serde::Serializer::serialize_i64(__serializer, __value)
            }
        }

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #name {
            fn deserialize<__D>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                let __value = <::core::primitive::i64 as #private::serde::Deserialize>::deserialize(__deserializer)?;
                #(
                    if __value == Self::#variants as ::core::primitive::i64 {
                        return ::core::result::Result::Ok(Self::#variants);
                    }
                )*
                ::core::result::Result::Err(<__D::Error as #private::serde::de::Error>::invalid_value(
                    #private::serde::de::Unexpected::Signed(__value),
                    &#expected,
                ))
            }
        }

        #[automatically_derived]
        impl #private::FormValue for #name {
            fn append_to(&self, __name: #private::FormName<'_>, __form: &mut #private::FormEncoder) {
                #value
                #private::FormValue::append_to(&__value, __name, __form)
            }
        }
    }
}
