// A bulk send copies the call per batch of recipients (`Recipients`, which
// `Client::bulk` requires): an endpoint that is not `Clone` cannot be sent
// in bulk, and the error says so where the copy is asked for.
#[api_core::endpoint(
    path = "/message/private/publish.json",
    encoding = "form",
    max_recipients = 1000
)]
pub struct Publish {
    #[endpoint(recipients)]
    pub to_user_id: Vec<String>,
}

fn main() {}

#[allow(dead_code)]
fn batch(publish: &Publish) -> Publish {
    api_core::Recipients::with_recipients(publish, &["u1".to_owned()])
}
