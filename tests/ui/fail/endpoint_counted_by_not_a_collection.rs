#[api_core::endpoint(
    path = "/message/chatroom/publish.json",
    encoding = "form",
    rate_limit(items = 100, per = second, counted_by = to_chatroom_id)
)]
pub struct ChatroomPublish {
    pub to_chatroom_id: String,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, publish: ChatroomPublish) {
    let _ = publish.send(client).await;
}
