#[api_core::endpoint(
    path = "/message/private/publish.json",
    encoding = "form",
    max_recipients = 1000
)]
pub struct Publish {
    #[endpoint(recipients)]
    pub to_user_id: Vec<u64>,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, publish: Publish) {
    let _ = publish.send(client).await;
    let _ = client.bulk(&publish, ["u1", "u2"]);
}

impl Clone for Publish {
    fn clone(&self) -> Self {
        Self { to_user_id: self.to_user_id.clone() }
    }
}
