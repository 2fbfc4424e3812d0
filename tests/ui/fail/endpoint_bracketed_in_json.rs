use std::collections::BTreeMap;

#[api_core::endpoint(path = "/group/sync.json", encoding = "json")]
pub struct GroupSync {
    pub user_id: String,
    #[endpoint(bracketed, rename = "group")]
    pub groups: BTreeMap<String, String>,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, sync: GroupSync) {
    let _ = sync.send(client).await;
}
