//! Syntactic facts about field types.

use syn::{GenericArgument, PathArguments, Type};

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        Type::Group(group) => last_segment(&group.elem),
        Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
}

fn single_type_argument(segment: &syn::PathSegment) -> Option<&Type> {
    match &segment.arguments {
        PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        },
        _ => None,
    }
}

/// `T` when `ty` is `Option<T>`.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    let segment = last_segment(ty)?;
    (segment.ident == "Option")
        .then(|| single_type_argument(segment))
        .flatten()
}

/// Whether `ty` is `Vec<String>`.
pub fn is_vec_of_string(ty: &Type) -> bool {
    last_segment(ty)
        .filter(|segment| segment.ident == "Vec")
        .and_then(single_type_argument)
        .and_then(last_segment)
        .is_some_and(|inner| inner.ident == "String" && inner.arguments.is_empty())
}

/// Whether `ty` (or `Option<ty>`) is a map or a free-form JSON value, which a
/// form cannot carry except as a JSON string.
pub fn is_map_like(ty: &Type) -> bool {
    let ty = option_inner(ty).unwrap_or(ty);
    last_segment(ty).is_some_and(|segment| {
        ["HashMap", "BTreeMap", "IndexMap", "Map", "Value"]
            .iter()
            .any(|name| segment.ident == name)
    })
}
