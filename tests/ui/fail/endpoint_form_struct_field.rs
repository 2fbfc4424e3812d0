pub struct PushExt {
    pub title: String,
}

#[api_core::endpoint(path = "/message/private/publish.json", encoding = "form")]
pub struct Publish {
    pub push_ext: Option<PushExt>,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, publish: Publish) {
    let _ = publish.send(client).await;
}
