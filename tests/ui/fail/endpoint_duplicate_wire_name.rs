#[api_core::endpoint(path = "/user/block.json", encoding = "form")]
pub struct Block {
    pub user_id: String,
    #[endpoint(rename = "userId")]
    pub blocked_user: String,
}

fn main() {}
