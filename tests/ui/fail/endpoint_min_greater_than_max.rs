#[api_core::endpoint(path = "/user/block.json", encoding = "form")]
pub struct Block {
    pub user_id: String,
    #[endpoint(min = 43200, max = 1)]
    pub minute: u32,
}

fn main() {}
