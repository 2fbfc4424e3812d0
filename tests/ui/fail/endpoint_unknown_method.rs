#[api_core::endpoint(path = "/v2/ultragroups.json", method = "PUT", encoding = "json")]
pub struct UltraGroups {
    pub group_id: String,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, groups: UltraGroups) {
    let _ = groups.send(client).await;
}
