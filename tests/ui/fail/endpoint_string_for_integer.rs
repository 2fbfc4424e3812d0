#[api_core::endpoint(
    path = "/message/private/publish.json",
    encoding = "form",
    max_recipients = "1000"
)]
pub struct Publish {
    #[endpoint(recipients)]
    pub to_user_id: Vec<String>,
}

fn main() {}
