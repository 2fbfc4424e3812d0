#[api_core::endpoint(
    path = "/message/group/publish.json",
    encoding = "form",
    rate_limit(items = 20, per = second)
)]
pub struct GroupPublish {
    pub to_group_id: Vec<String>,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, publish: GroupPublish) {
    let _ = publish.send(client).await;
}
