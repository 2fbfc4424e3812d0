#[api_core::endpoint(path = "/conversation/attribute/get.json", method = "GET", encoding = "json")]
pub struct AttributeGet {
    pub user_id: String,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, get: AttributeGet) {
    let _ = get.send(client).await;
}
