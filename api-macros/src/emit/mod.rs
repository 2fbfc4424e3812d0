//! Code generation from the checked model. Nothing here decides anything:
//! each function reads a `model` value and writes what it says.
//!
//! Generated code names everything by absolute path (the runtime through
//! `model::Runtime`), has no `use` lines, and calls trait methods as
//! `<FieldType as Trait>::method` spanned at the field's type, so that a
//! type that cannot do what a field asks is reported at that type.

mod endpoint;
mod form;
mod int_enum;
mod json;
mod setters;
mod validate;

pub use endpoint::endpoint;
pub use int_enum::int_enum;
pub use setters::{setter, setters};
pub use validate::validate;
