#[api_core::endpoint(encoding = "form")]
pub struct Block {
    pub user_id: String,
}

fn main() {}
