// A hand-written function with a field's name needs `#[setters(skip)]` on
// that field; without it the generated setter is a second definition.
#[derive(Default, api_core::Setters)]
pub struct Notification {
    pub alert: Option<String>,
}

impl Notification {
    pub fn alert(alert: impl Into<String>) -> Self {
        Self {
            alert: Some(alert.into()),
        }
    }
}

fn main() {}
