#[derive(api_core::Setters)]
pub struct Title(pub Option<String>);

fn main() {}
