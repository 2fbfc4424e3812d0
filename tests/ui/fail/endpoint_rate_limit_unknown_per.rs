#[api_core::endpoint(path = "/user/block.json", encoding = "form", rate_limit(calls = 100, per = week))]
pub struct Block {
    pub user_id: String,
}

fn main() {}
