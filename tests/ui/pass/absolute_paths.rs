//! The generated code names everything by absolute path: this module has no
//! `use` line, and shadows every prelude name the expansion could reach for,
//! the primitive types, and the crates it names (`mod core`, `mod serde`,
//! `mod api_core`, ...).
#![deny(warnings)]

/// A typed part. serde's derive does not survive shadowed primitive types, so
/// it lives outside the shadowing module.
mod parts {
    #[derive(::serde::Serialize, ::api_core::Validate)]
    pub struct Part {
        #[validate(max_chars = 3, non_empty)]
        pub title: ::std::string::String,
    }
}

mod endpoints {
    #![allow(dead_code, non_camel_case_types)]

    pub struct Result;
    pub struct Option;
    pub struct Some;
    pub struct None;
    pub struct Ok;
    pub struct Err;
    pub struct Vec;
    pub struct String;
    pub struct Box;
    pub struct Into;
    pub struct From;
    pub struct Default;
    pub struct Send;
    pub struct Sync;
    pub struct Sized;
    pub struct Clone;
    pub struct ToString;
    pub struct usize;
    pub struct u8;
    pub struct bool;
    pub struct str;
    pub mod core {}
    pub mod std {}
    pub mod alloc {}
    pub mod serde {}
    pub mod serde_json {}
    pub mod api_core {}
    pub mod __private {}
    pub mod rules {}

    /// A part checked by `#[derive(Validate)]` here, with every name shadowed.
    #[derive(::api_core::Validate)]
    #[validate(check = Self::check)]
    pub struct Limits {
        #[validate(max_chars = 3, non_empty)]
        pub title: ::std::string::String,
        #[validate(min = 0, max = 9)]
        pub count: ::core::option::Option<::core::primitive::usize>,
        #[validate(max_items = 1)]
        pub ids: ::std::vec::Vec<::core::primitive::u8>,
    }

    impl Limits {
        fn check(&self, _report: &mut ::api_core::Report) {}
    }

    /// A part with derived setters, here with every name shadowed.
    #[derive(::api_core::Setters)]
    pub struct Named {
        /// The name.
        pub name: ::core::option::Option<::std::string::String>,
        #[setters(skip)]
        pub skipped: ::core::option::Option<::core::primitive::u8>,
    }

    /// A form endpoint using every kind of field.
    #[::api_core::endpoint(
        path = "/user/block.json",
        encoding = "form",
        max_recipients = 2,
        idempotent,
        rate_limit(recipients = 10, per = second),
        check = Self::check
    )]
    pub struct Block {
        #[endpoint(recipients)]
        pub user_id: ::std::vec::Vec<::std::string::String>,
        #[endpoint(min = 1, max = 43200)]
        pub minute: ::core::primitive::u32,
        #[endpoint(int_bool)]
        pub flag: ::core::option::Option<::core::primitive::bool>,
        #[endpoint(json, nested)]
        pub part: ::core::option::Option<crate::parts::Part>,
        #[endpoint(flatten)]
        pub message: ::api_core::Message<::api_core::CustomMessage>,
        #[endpoint(max_items = 3, max_bytes = 4)]
        pub tags: ::std::vec::Vec<::std::string::String>,
        pub note: ::core::option::Option<::std::string::String>,
    }

    impl Block {
        fn check(&self, _report: &mut ::api_core::Report) {}
    }

    /// The same in JSON.
    #[::api_core::endpoint(path = "/user/block2.json", encoding = "json", max_recipients = 2)]
    pub struct BlockJson {
        #[endpoint(recipients)]
        pub user_id: ::std::vec::Vec<::std::string::String>,
        #[endpoint(int_bool)]
        pub flag: ::core::option::Option<::core::primitive::bool>,
        #[endpoint(json, nested)]
        pub part: ::core::option::Option<crate::parts::Part>,
        #[endpoint(nested)]
        pub inline: crate::parts::Part,
        #[endpoint(flatten)]
        pub message: ::api_core::Message<::api_core::CustomMessage>,
        pub note: ::core::option::Option<::std::string::String>,
    }
}

fn main() {
    let block = endpoints::Block {
        user_id: ::std::vec!["a".into(), "b".into()],
        minute: 60,
        flag: ::core::option::Option::None,
        part: ::core::option::Option::Some(parts::Part { title: "t".into() }),
        message: ::api_core::Message::new(::api_core::CustomMessage::new("App:X", "y")),
        tags: ::std::vec!["x".into()],
        note: ::core::option::Option::None,
    }
    .flag(true)
    .note("n");
    ::core::assert!(<endpoints::Block as ::api_core::Endpoint>::IDEMPOTENT);
    ::core::assert_eq!(
        <endpoints::Block as ::api_core::Endpoint>::MAX_RECIPIENTS,
        ::core::option::Option::Some(2)
    );
    ::core::assert_eq!(
        ::api_core::Validate::validate(&block),
        ::core::result::Result::Ok(())
    );
    ::core::assert_eq!(
        ::api_core::Endpoint::encode_body(&block).unwrap(),
        b"userId=a&userId=b&minute=60&flag=1&part=%7B%22title%22%3A%22t%22%7D&objectName=App%3AX&content=y&tags=x&note=n"
    );

    let json = endpoints::BlockJson {
        user_id: ::std::vec!["a".into()],
        flag: ::core::option::Option::Some(false),
        part: ::core::option::Option::None,
        inline: parts::Part {
            title: "toolong".into(),
        },
        message: ::api_core::Message::new(::api_core::CustomMessage::new("App:X", "y")),
        note: ::core::option::Option::None,
    };
    ::core::assert_eq!(
        ::api_core::Endpoint::encode_body(&json).unwrap(),
        br#"{"userId":["a"],"flag":0,"inline":{"title":"toolong"},"objectName":"App:X","content":"y"}"#
    );
    ::core::assert_eq!(
        ::api_core::Validate::validate(&json)
            .unwrap_err()
            .violations()[0]
            .path(),
        "inline.title"
    );

    let named = endpoints::Named {
        name: ::core::option::Option::None,
        skipped: ::core::option::Option::None,
    }
    .name("n");
    ::core::assert_eq!(named.name.as_deref(), ::core::option::Option::Some("n"));
    ::core::assert_eq!(named.skipped, ::core::option::Option::None);

    let limits = endpoints::Limits {
        title: ::std::string::String::new(),
        count: ::core::option::Option::Some(10),
        ids: ::std::vec![1, 2],
    };
    ::core::assert_eq!(
        ::api_core::Validate::validate(&limits)
            .unwrap_err()
            .violations()
            .iter()
            .map(::api_core::Violation::path)
            .collect::<::std::vec::Vec<_>>(),
        ["title", "count", "ids"]
    );
}
