// Both mistakes are reported in one compile, each at its own `skip`.
#[derive(api_core::Setters)]
pub struct HwConfig {
    #[setters(skip)]
    channel_id: Option<String>,
    #[setters(skip)]
    pub category: String,
    #[setters(skip)]
    pub image: Option<String>,
}

fn main() {
    let _ = HwConfig {
        channel_id: None,
        category: String::new(),
        image: None,
    }
    .channel_id;
}

