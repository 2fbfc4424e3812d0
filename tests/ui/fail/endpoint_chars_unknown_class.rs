#[api_core::endpoint(path = "/ultragroup/create.json", encoding = "form")]
pub struct Create {
    #[endpoint(chars = "letters")]
    pub group_id: String,
    #[endpoint(chars = "z-a")]
    pub user_id: String,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, create: Create) {
    let _ = create.send(client).await;
}
