#[api_core::endpoint(path = "/message/private/publish.json", encoding = "form")]
pub struct Publish {
    #[endpoint(int_bool)]
    pub is_persisted: Option<String>,
}

fn main() {}
