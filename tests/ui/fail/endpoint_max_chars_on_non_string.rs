#[api_core::endpoint(path = "/user/block.json", encoding = "form")]
pub struct Block {
    #[endpoint(max_chars = 64)]
    pub minute: u32,
}

fn main() {}
