// Every mistake is reported in one compile, each at its own token.
#[api_core::endpoint(
    path = "user/block.json",
    encoding = "xml",
    idempotent = true,
    timeout = 5
)]
pub struct Block {
    #[endpoint(non_empty, non_empty)]
    pub user_id: String,
    #[endpoint(min = 10, max = 1, int_bool = 1)]
    pub minute: u32,
    #[endpoint(recipients)]
    pub to_user_id: Vec<String>,
}

fn main() {}

// The type stays usable: its uses below add no error to the one above.
#[allow(dead_code)]
async fn uses(client: &api_core::Client, block: Block) {
    let _ = block.send(client).await;
    let _ = client.bulk(&block, ["u1", "u2"]);
}

impl Clone for Block {
    fn clone(&self) -> Self {
        Self { user_id: self.user_id.clone(), minute: self.minute.clone(), to_user_id: self.to_user_id.clone() }
    }
}
