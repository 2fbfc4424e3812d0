//! The checked model: what `check` decides and `emit` reads. Every field's
//! wire kind, wire name and rules are decided here once; nothing in `emit`
//! looks at an attribute again.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{DeriveInput, Ident, LitStr, Type};

pub use crate::attr::CharClass;

/// The path of the runtime crate (`::api_core` unless `crate = "..."`),
/// through which generated code names everything it uses.
#[derive(Clone)]
pub struct Runtime {
    krate: TokenStream,
}

impl Runtime {
    pub fn new(krate: TokenStream) -> Self {
        Self { krate }
    }

    /// `::api_core`.
    pub fn krate(&self) -> &TokenStream {
        &self.krate
    }

    /// `::api_core::__private`, where generated code finds what it names.
    pub fn private(&self) -> TokenStream {
        let krate = &self.krate;
        quote!(#krate::__private)
    }

    /// [`Runtime::private`] with every token at `span`, for a path that is
    /// part of a type an error may be reported at.
    pub fn private_at(&self, span: Span) -> TokenStream {
        self.private()
            .into_iter()
            .map(|mut token| {
                token.set_span(span);
                token
            })
            .collect()
    }
}

impl Runtime {
    /// The runtime named by `crate = "..."`, or `::api_core`.
    pub fn from_attr(krate: Option<&syn::Path>) -> Self {
        krate.map_or_else(Self::default, |path| Self::new(quote!(#path)))
    }
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new(quote!(::api_core))
    }
}

/// The body encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Form,
    Json,
}

/// The HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Post,
    /// Parameters in the query string, form-encoded.
    Get,
}

/// What a rate limit counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RateUnit {
    Calls,
    Recipients,
    /// The items of the counted field, named by its wire name.
    Items(String),
}

/// One documented rate limit.
#[derive(Clone)]
pub struct RateLimit {
    pub unit: RateUnit,
    pub amount: u32,
    pub per_seconds: u64,
    pub span: Span,
}

/// An endpoint, checked.
pub struct Endpoint<'a> {
    pub input: &'a DeriveInput,
    pub runtime: Runtime,
    pub path: LitStr,
    pub encoding: Encoding,
    pub method: Method,
    /// The success code and error message member, when not the standard
    /// ones (200, `errorMessage`).
    pub response_shape: Option<(i64, String)>,
    pub max_recipients: Option<usize>,
    /// The answer type; `None` for `CodeOnly`.
    pub response: Option<&'a Type>,
    pub idempotent: bool,
    /// The field that makes a request unsafe to repeat when it is set
    /// (`idempotent_unless = field`).
    pub idempotent_unless: Option<(&'a Ident, &'a Type)>,
    pub rate_limits: Vec<RateLimit>,
    /// The recipients field.
    pub recipients: Option<&'a Ident>,
    /// The field whose length is the call's rate weight, when a limit is
    /// `counted_by` it (otherwise the weight is the recipients count).
    pub rate_weight: Option<(&'a Ident, &'a Type)>,
    pub check: Option<&'a syn::Path>,
    pub fields: Vec<EndpointField<'a>>,
}

/// A field of an endpoint.
pub struct EndpointField<'a> {
    pub rules: Rules<'a>,
    pub wire: Wire<'a>,
    /// The setter, for a public `Option` field.
    pub setter: Option<Setter<'a>>,
}

/// How a field goes on the wire.
pub enum Wire<'a> {
    /// One field holding several wire fields (a `Message`), written by the
    /// type itself (`FormFields` / `JsonFields`).
    Flatten,
    /// A typed value sent as a JSON string. `inner` is `T` when the field
    /// is an `Option<T>` (left out when `None`).
    Json {
        name: String,
        inner: Option<&'a Type>,
    },
    /// A `bool` sent as `1` / `0`.
    IntBool { name: String },
    /// A map sent as form fields `name[key]=value`.
    Bracketed { name: String },
    /// A value sent as itself. `inner` as for `Json`.
    Plain {
        name: String,
        inner: Option<&'a Type>,
    },
}

impl Wire<'_> {
    /// The wire name, for a kind that has one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Wire::Flatten => None,
            Wire::Json { name, .. }
            | Wire::IntBool { name }
            | Wire::Bracketed { name }
            | Wire::Plain { name, .. } => Some(name),
        }
    }

    /// The kind's name, for tests.
    #[cfg(test)]
    pub fn kind(&self) -> &'static str {
        match self {
            Wire::Flatten => "flatten",
            Wire::Json { .. } => "json",
            Wire::IntBool { .. } => "int_bool",
            Wire::Bracketed { .. } => "bracketed",
            Wire::Plain { .. } => "plain",
        }
    }
}

/// A field's validation rules, in the order they run.
pub struct Rules<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    /// The field's name in violation paths.
    pub path_name: String,
    pub rules: Vec<Rule>,
}

/// One validation rule of a field.
pub enum Rule {
    /// The recipients list: 1 to `MAX_RECIPIENTS` non-empty ids.
    Recipients(Span),
    NonEmpty(Span),
    /// A size limit: `function` is `max_chars`, `max_bytes`, `min_items` or
    /// `max_items` in the runtime's `rules`.
    Size {
        function: &'static str,
        limit: usize,
        span: Span,
    },
    Range {
        min: i64,
        max: i64,
        span: Span,
    },
    /// Exactly `length` characters.
    Len {
        length: usize,
        span: Span,
    },
    /// Only characters of a class.
    Chars {
        class: CharClass,
        span: Span,
    },
    /// The value checks itself (`nested`, and every flattened field).
    Nested(Span),
}

/// A struct deriving `Validate`, checked.
pub struct Validate<'a> {
    pub input: &'a DeriveInput,
    pub runtime: Runtime,
    pub fields: Vec<Rules<'a>>,
    pub check: Option<&'a syn::Path>,
}

/// A builder-style setter.
pub struct Setter<'a> {
    pub ident: &'a Ident,
    /// `T` of the field's `Option<T>`.
    pub inner: &'a Type,
    /// The first line of its documentation.
    pub summary: String,
    /// The field's own documentation, repeated after the summary.
    pub docs: Vec<&'a syn::Attribute>,
}

/// A struct deriving `Setters`, checked.
pub struct Setters<'a> {
    pub input: &'a DeriveInput,
    pub setters: Vec<Setter<'a>>,
}

/// An enum deriving `IntEnum`, checked.
pub struct IntEnum<'a> {
    pub input: &'a DeriveInput,
    pub runtime: Runtime,
    pub variants: Vec<&'a Ident>,
    /// What a value must be, for the error of an unknown one: "one of 1, 3,
    /// 4" when every discriminant is a literal.
    pub expected: String,
}
