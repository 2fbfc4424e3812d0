#[api_core::endpoint(path = "/user/block.json")]
pub struct Block {
    pub user_id: String,
}

fn main() {}
