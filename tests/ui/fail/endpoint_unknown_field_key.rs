#[api_core::endpoint(path = "/user/block.json", encoding = "form")]
pub struct Block {
    #[endpoint(renamed = "userId")]
    pub user_id: String,
}

fn main() {}
