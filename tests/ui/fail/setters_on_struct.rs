#[derive(api_core::Setters)]
#[setters(skip)]
pub struct HwConfig {
    pub channel_id: Option<String>,
}

fn main() {}
