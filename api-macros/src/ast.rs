//! The parsed item: a struct's name, generics and named fields, each with
//! its attribute arguments (see `attr`). Nothing here has been checked
//! beyond the syntax of each argument.

use syn::spanned::Spanned as _;
use syn::{Data, DataStruct, DeriveInput, Fields, Ident, Type, Visibility};

use crate::attr::{
    self, EndpointAttrs, FieldAttrs, IntEnumAttrs, Mode, SetterAttrs, SettersAttrs, ValidateAttrs,
};
use crate::ctxt::Ctxt;

/// A struct and its fields, with the arguments `A` of the struct and `F`
/// of each field.
pub struct Container<'a, A, F> {
    pub input: &'a DeriveInput,
    pub attrs: A,
    /// The named fields; `None` when the item has none (an enum, a tuple
    /// struct...: already reported).
    pub fields: Option<Vec<Field<'a, F>>>,
}

/// A named field and its arguments.
pub struct Field<'a, F> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub vis: &'a Visibility,
    pub attrs: &'a [syn::Attribute],
    pub args: F,
}

impl<F> Field<'_, F> {
    /// The field's name as violation paths give it (`type`, not `r#type`).
    pub fn path_name(&self) -> String {
        let name = self.ident.to_string();
        name.strip_prefix("r#").unwrap_or(&name).to_owned()
    }
}

pub type Endpoint<'a> = Container<'a, EndpointAttrs, FieldAttrs>;
pub type Validate<'a> = Container<'a, ValidateAttrs, FieldAttrs>;
pub type Setters<'a> = Container<'a, SettersAttrs, SetterAttrs>;

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

/// The named fields of a struct, or an error pointing at what the input is.
fn named_fields<'a>(
    input: &'a DeriveInput,
    what: &str,
    purpose: Purpose,
    cx: &Ctxt,
) -> Option<&'a syn::FieldsNamed> {
    let (span, message) = match &input.data {
        Data::Struct(DataStruct {
            fields: Fields::Named(named),
            ..
        }) => return Some(named),
        Data::Struct(DataStruct {
            fields: Fields::Unnamed(unnamed),
            ..
        }) => (
            unnamed.span(),
            format!(
                "{what} needs a struct with named fields; {}",
                purpose.tuple_reason()
            ),
        ),
        Data::Struct(DataStruct {
            fields: Fields::Unit,
            ..
        }) => (
            input.ident.span(),
            format!(
                "{what} needs a struct with named fields; {}",
                purpose.unit_reason()
            ),
        ),
        Data::Enum(data) => (
            data.enum_token.span(),
            format!("{what} goes on a struct with named fields, not on an enum"),
        ),
        Data::Union(data) => (
            data.union_token.span(),
            format!("{what} goes on a struct with named fields, not on a union"),
        ),
    };
    cx.error(span, message);
    None
}

fn fields<'a, F>(
    named: &'a syn::FieldsNamed,
    mut args: impl FnMut(&'a syn::Field) -> F,
) -> Vec<Field<'a, F>> {
    named
        .named
        .iter()
        .filter_map(|field| {
            Some(Field {
                ident: field.ident.as_ref()?,
                ty: &field.ty,
                vis: &field.vis,
                attrs: &field.attrs,
                args: args(field),
            })
        })
        .collect()
}

/// Parses `#[endpoint(args)]` on `input`.
pub fn endpoint<'a>(
    args: proc_macro2::TokenStream,
    input: &'a DeriveInput,
    cx: &Ctxt,
) -> Endpoint<'a> {
    let attrs = attr::endpoint_attrs(args, cx);
    let fields = named_fields(input, "`#[endpoint]`", Purpose::Send, cx).map(|named| {
        fields(named, |field| {
            attr::field_attrs(&field.attrs, Mode::Endpoint, cx)
        })
    });
    Container {
        input,
        attrs,
        fields,
    }
}

/// Parses a `#[derive(Validate)]` input.
pub fn validate<'a>(input: &'a DeriveInput, cx: &Ctxt) -> Validate<'a> {
    let attrs = attr::validate_attrs(&input.attrs, cx);
    let fields = named_fields(input, "`#[derive(Validate)]`", Purpose::Send, cx).map(|named| {
        fields(named, |field| {
            attr::field_attrs(&field.attrs, Mode::Validate, cx)
        })
    });
    Container {
        input,
        attrs,
        fields,
    }
}

/// Parses a `#[derive(Setters)]` input.
pub fn setters<'a>(input: &'a DeriveInput, cx: &Ctxt) -> Setters<'a> {
    let attrs = attr::setters_attrs(&input.attrs, cx);
    let fields = named_fields(input, "`#[derive(Setters)]`", Purpose::Set, cx)
        .map(|named| fields(named, |field| attr::setter_attrs(&field.attrs, cx)));
    Container {
        input,
        attrs,
        fields,
    }
}

/// A `#[derive(IntEnum)]` input: an enum and its variants.
pub struct IntEnum<'a> {
    pub input: &'a DeriveInput,
    pub attrs: IntEnumAttrs,
    /// `None` when the input is not an enum (already reported).
    pub variants: Option<Vec<&'a syn::Variant>>,
}

/// Parses a `#[derive(IntEnum)]` input.
pub fn int_enum<'a>(input: &'a DeriveInput, cx: &Ctxt) -> IntEnum<'a> {
    let attrs = attr::int_enum_attrs(&input.attrs, cx);
    let what = "`#[derive(IntEnum)]` goes on an enum whose variants are sent as integers";
    let variants = match &input.data {
        Data::Enum(data) => Some(data.variants.iter().collect()),
        Data::Struct(data) => {
            cx.error(data.struct_token.span(), format!("{what}, not on a struct"));
            None
        }
        Data::Union(data) => {
            cx.error(data.union_token.span(), format!("{what}, not on a union"));
            None
        }
    };
    IntEnum {
        input,
        attrs,
        variants,
    }
}
