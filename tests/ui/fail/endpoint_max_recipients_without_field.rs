#[api_core::endpoint(
    path = "/message/private/publish.json",
    encoding = "form",
    max_recipients = 1000
)]
pub struct Publish {
    pub to_user_id: Vec<String>,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, publish: Publish) {
    let _ = publish.send(client).await;
}
