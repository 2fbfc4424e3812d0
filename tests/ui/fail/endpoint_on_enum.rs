#[api_core::endpoint(path = "/user/block.json", encoding = "form")]
pub enum Block {
    One { user_id: String },
}

fn main() {}
