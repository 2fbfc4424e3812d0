#[api_core::endpoint(path = "/user/block.json", encoding = "xml")]
pub struct Block {
    pub user_id: String,
}

fn main() {}
