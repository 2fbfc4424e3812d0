#[api_core::endpoint(
    path = "/user/block.json",
    encoding = "form",
    path = "/user/unblock.json"
)]
pub struct Block {
    pub user_id: String,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, block: Block) {
    let _ = block.send(client).await;
}
