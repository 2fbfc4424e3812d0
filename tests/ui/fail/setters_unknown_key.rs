#[derive(api_core::Setters)]
pub struct HwConfig {
    #[setters(skp)]
    pub channel_id: Option<String>,
}

fn main() {}
