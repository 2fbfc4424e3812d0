#[derive(api_core::IntEnum)]
pub struct ConversationType {
    pub value: u8,
}

fn main() {}
