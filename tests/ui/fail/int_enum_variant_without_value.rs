#[derive(Debug, Clone, Copy, api_core::IntEnum)]
pub enum ConversationType {
    Private = 1,
    Group,
}

fn main() {}

// The type stays usable: it still serializes and goes in a form.
#[allow(dead_code)]
fn uses(kind: ConversationType) -> String {
    serde_json::to_string(&kind).unwrap()
}

#[api_core::endpoint(path = "/message/recall.json", encoding = "form")]
pub struct Recall {
    pub conversation_type: ConversationType,
}
