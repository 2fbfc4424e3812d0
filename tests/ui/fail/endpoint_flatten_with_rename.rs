use api_core::{CustomMessage, Message};

#[api_core::endpoint(path = "/message/system/publish.json", encoding = "form")]
pub struct Publish {
    #[endpoint(flatten, rename = "message")]
    pub message: Message<CustomMessage>,
}

fn main() {}
