#[api_core::endpoint(path = "/user/block.json", encoding = "form", rate_limit(calls = 100, per = second, burst = 10))]
pub struct Block {
    pub user_id: String,
}

fn main() {}
