#[derive(api_core::IntEnum)]
#[repr(u8)]
pub enum ConversationType {
    Private = 1,
    Chatroom(u8) = 4,
}

fn main() {}

// The type stays usable: it still deserializes.
#[allow(dead_code)]
fn uses(text: &str) -> ConversationType {
    serde_json::from_str(text).unwrap()
}
