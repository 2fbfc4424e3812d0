#[api_core::endpoint(path = "/group/join.json", encoding = "form", idempotent_unless = group_id)]
pub struct GroupJoin {
    pub group_id: String,
}

fn main() {}
