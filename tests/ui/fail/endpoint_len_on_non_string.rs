#[api_core::endpoint(path = "/message/history.json", encoding = "form")]
pub struct History {
    #[endpoint(len = 10, chars = "digits")]
    pub date: u64,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, history: History) {
    let _ = history.send(client).await;
}
