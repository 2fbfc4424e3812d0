pub struct PushExt {
    pub title: String,
}

#[api_core::endpoint(path = "/message/private/publish.json", encoding = "form")]
pub struct Publish {
    pub push_ext: Option<PushExt>,
}

fn main() {}
