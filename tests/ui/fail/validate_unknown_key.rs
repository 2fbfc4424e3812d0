#[derive(api_core::Validate)]
pub struct PushExt {
    #[validate(max_chars = 50, rename = "title")]
    pub title: Option<String>,
}

fn main() {}

// The type stays usable: it still implements `Validate`.
#[allow(dead_code)]
fn uses(ext: &PushExt) -> bool {
    api_core::Validate::validate(ext).is_ok()
}
