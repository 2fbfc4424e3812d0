#[api_core::endpoint(path = "/user/block.json", encoding = "form")]
pub struct Block;

fn main() {}
