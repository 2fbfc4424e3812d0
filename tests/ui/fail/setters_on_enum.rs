#[derive(api_core::Setters)]
pub enum Importance {
    Normal,
    Low,
}

fn main() {}
