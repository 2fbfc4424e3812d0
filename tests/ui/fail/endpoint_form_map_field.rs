use std::collections::HashMap;

#[api_core::endpoint(path = "/message/private/publish.json", encoding = "form")]
pub struct Publish {
    pub extra_content: Option<HashMap<String, String>>,
}

fn main() {}
