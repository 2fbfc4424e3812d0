#[api_core::endpoint(path = "/user/block.json", encoding = "form", rate_limit(recipients = 6000, per = minute))]
pub struct Block {
    pub user_id: String,
}

fn main() {}
