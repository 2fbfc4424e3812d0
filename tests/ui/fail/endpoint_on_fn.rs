#[api_core::endpoint(path = "/user/block.json", encoding = "form")]
pub fn block(user_id: &str) -> &str {
    user_id
}

fn main() {
    // The function is still emitted: no second error here.
    assert_eq!(block("u1"), "u1");
}
