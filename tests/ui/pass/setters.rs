//! `#[derive(Setters)]`: a setter for every public `Option` field, none for
//! a skipped one (which keeps its hand-written function), and none for the
//! other fields. A primitive field's setter takes an unsuffixed literal.
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
        /// A page size.
        pub size: Option<u32>,
        /// A time in milliseconds.
        pub sent_time: Option<i64>,
        /// A count.
        pub total: Option<u64>,
        /// A ratio.
        pub ratio: Option<f64>,
        /// A flag.
        pub silent: Option<bool>,
        /// A primitive by its path: the `Into` setter.
        pub limit: Option<core::primitive::u16>,
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
        .r#type(7)
        .size(20)
        .sent_time(1_700_000_000_000)
        .total(10_000_000_000)
        .ratio(0.5)
        .silent(true)
        .limit(3u16);
    assert_eq!(part.title.as_deref(), Some("the title"));
    assert_eq!(part.badge, Some(2));
    assert_eq!(part.r#type, Some(7));
    assert_eq!(part.size, Some(20));
    assert_eq!(part.sent_time, Some(1_700_000_000_000));
    assert_eq!(part.total, Some(10_000_000_000));
    assert_eq!(part.ratio, Some(0.5));
    assert_eq!(part.silent, Some(true));
    assert_eq!(part.limit, Some(3));
    assert_eq!(part.alert.as_deref(), Some("hi"));
    assert_eq!(part.count, 0);
    assert_eq!(part.hidden(), None);

    let wrapper = Wrapper::<Vec<u8>> { value: None }.value(vec![1]);
    assert_eq!(wrapper.value, Some(vec![1]));
}
