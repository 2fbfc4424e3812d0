#[derive(api_core::Validate)]
pub enum Platform {
    Ios,
    Android,
}

fn main() {}
