#[derive(api_core::Validate)]
pub struct PushExt {
    #[validate(max_chars = 50, rename = "title")]
    pub title: Option<String>,
}

fn main() {}
