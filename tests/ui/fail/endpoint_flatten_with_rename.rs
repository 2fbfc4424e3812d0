use api_core::{CustomMessage, Message};

#[api_core::endpoint(path = "/message/system/publish.json", encoding = "form")]
pub struct Publish {
    #[endpoint(flatten, rename = "message")]
    pub message: Message<CustomMessage>,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, publish: Publish) {
    let _ = publish.send(client).await;
}
