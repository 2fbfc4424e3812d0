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
