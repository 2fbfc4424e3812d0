#[api_core::endpoint(path = "/group/join.json", encoding = "form", idempotent_unless = "notification")]
pub struct GroupJoin {
    pub notification: Option<String>,
}

fn main() {}
