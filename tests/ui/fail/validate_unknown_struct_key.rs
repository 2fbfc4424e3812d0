#[derive(api_core::Validate)]
#[validate(check = PushExt::check, strict)]
pub struct PushExt {
    #[validate(max_chars = 50)]
    pub title: Option<String>,
}

impl PushExt {
    fn check(&self, _report: &mut api_core::Report) {}
}

fn main() {}

// The type stays usable: it still implements `Validate`.
#[allow(dead_code)]
fn uses(ext: &PushExt) -> bool {
    api_core::Validate::validate(ext).is_ok()
}
