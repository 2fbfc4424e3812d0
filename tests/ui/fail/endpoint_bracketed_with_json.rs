#[api_core::endpoint(path = "/group/sync.json", encoding = "form")]
pub struct GroupSync {
    pub user_id: String,
    #[endpoint(bracketed, json)]
    pub group: Vec<(String, String)>,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, sync: GroupSync) {
    let _ = sync.send(client).await;
}
