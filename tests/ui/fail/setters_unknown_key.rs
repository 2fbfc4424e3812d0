#[derive(api_core::Setters)]
pub struct HwConfig {
    #[setters(skp)]
    pub channel_id: Option<String>,
}

fn main() {}

// The type stays usable: the setter of the field is still there.
#[allow(dead_code)]
fn uses(config: HwConfig) -> HwConfig {
    config.channel_id("c")
}
