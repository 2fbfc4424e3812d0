#[api_core::endpoint(path = "/user/block.json", encoding = "form", idempotent = true)]
pub struct Block {
    pub user_id: String,
}

fn main() {}
