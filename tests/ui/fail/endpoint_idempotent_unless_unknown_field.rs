#[api_core::endpoint(path = "/group/join.json", encoding = "form", idempotent_unless = notify)]
pub struct GroupJoin {
    pub group_id: String,
    pub notification: Option<String>,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, join: GroupJoin) {
    let _ = join.send(client).await;
}
