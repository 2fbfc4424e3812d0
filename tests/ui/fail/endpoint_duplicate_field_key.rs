#[api_core::endpoint(path = "/user/block.json", encoding = "form")]
pub struct Block {
    #[endpoint(max_chars = 64)]
    #[endpoint(non_empty, max_chars = 32)]
    pub user_id: String,
}

fn main() {}
