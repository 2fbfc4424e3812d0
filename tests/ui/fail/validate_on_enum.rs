#[derive(api_core::Validate)]
pub enum Platform {
    Ios,
    Android,
}

fn main() {}

// The type stays usable: it still implements `Validate`.
#[allow(dead_code)]
fn uses(platform: &Platform) -> bool {
    api_core::Validate::validate(platform).is_ok()
}
