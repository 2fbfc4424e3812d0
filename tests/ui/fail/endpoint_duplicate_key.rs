#[api_core::endpoint(
    path = "/user/block.json",
    encoding = "form",
    path = "/user/unblock.json"
)]
pub struct Block {
    pub user_id: String,
}

fn main() {}
