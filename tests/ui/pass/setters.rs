//! `#[derive(Setters)]`: a setter for every public `Option` field, none for
//! a skipped one (which keeps its hand-written function), and none for the
//! other fields.
#![deny(warnings, missing_docs)]

mod parts {
    /// A part with every kind of field.
    #[derive(Debug, Default, PartialEq, api_core::Setters)]
    pub struct Part {
        /// The title.
        pub title: Option<String>,
        /// The badge.
        pub badge: Option<i32>,
        /// A keyword as a field name.
        pub r#type: Option<u8>,
        /// Has a constructor of its own name, so no setter.
        #[setters(skip)]
        pub alert: Option<String>,
        /// Not an `Option`: no setter.
        pub count: u32,
        /// Not public: no setter.
        pub(crate) hidden: Option<String>,
        private: Option<String>,
    }

    impl Part {
        /// A part whose alert is `alert`.
        pub fn alert(alert: impl Into<String>) -> Self {
            Self {
                alert: Some(alert.into()),
                ..Self::default()
            }
        }

        /// Not a setter: `hidden` and `private` have none to clash with.
        pub fn hidden(&self) -> Option<&str> {
            self.hidden.as_deref().or(self.private.as_deref())
        }
    }

    /// A generic part.
    #[derive(Debug, PartialEq, api_core::Setters)]
    pub struct Wrapper<T: Clone>
    where
        T: Default,
    {
        /// The value.
        pub value: Option<T>,
    }
}

use parts::{Part, Wrapper};

fn main() {
    let part = Part::alert("hi")
        .title("a title")
        .title(String::from("the title"))
        .badge(2)
        .r#type(7);
    assert_eq!(part.title.as_deref(), Some("the title"));
    assert_eq!(part.badge, Some(2));
    assert_eq!(part.r#type, Some(7));
    assert_eq!(part.alert.as_deref(), Some("hi"));
    assert_eq!(part.count, 0);
    assert_eq!(part.hidden(), None);

    let wrapper = Wrapper::<Vec<u8>> { value: None }.value(vec![1]);
    assert_eq!(wrapper.value, Some(vec![1]));
}
