// The pacer weighs a call by one number: two limits cannot count two
// different fields.
#[api_core::endpoint(
    path = "/message/group/publish.json",
    encoding = "form",
    max_recipients = 1000,
    rate_limit(recipients = 6000, per = minute),
    rate_limit(items = 20, per = second, counted_by = to_group_id)
)]
#[derive(Clone)]
pub struct GroupPublish {
    #[endpoint(recipients)]
    pub to_user_id: Vec<String>,
    pub to_group_id: Vec<String>,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, publish: GroupPublish) {
    let _ = publish.send(client).await;
    let _ = client.bulk(&publish, ["u1", "u2"]);
}
