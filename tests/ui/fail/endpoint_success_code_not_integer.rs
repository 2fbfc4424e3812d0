#[api_core::endpoint(
    path = "/chatroom/keepalive/add.json",
    encoding = "form",
    success_code = "0",
    error_message = ""
)]
pub struct KeepAlive {
    pub chatroom_id: String,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, keepalive: KeepAlive) {
    let _ = keepalive.send(client).await;
}
