#[api_core::endpoint(path = "/user/block.json", encoding = "form", rate_limit(per = second))]
pub struct Block {
    pub user_id: String,
}

fn main() {}
