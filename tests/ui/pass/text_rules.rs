//! Exact-length and character-set rules on strings: `date` is exactly 10
//! digits (`yyyyMMddHH`), group ids at most 64 letters and digits, and a
//! set written out (`A-Za-z0-9+=-_`).
#![deny(warnings)]

use api_core::{Actual, Rule, Validate};

#[api_core::endpoint(path = "/message/history.json", encoding = "form")]
pub struct History {
    #[endpoint(len = 10, chars = "digits")]
    pub date: String,
}

#[api_core::endpoint(path = "/ultragroup/create.json", encoding = "form")]
pub struct UltraGroupCreate {
    #[endpoint(non_empty)]
    pub user_id: String,
    #[endpoint(non_empty, max_chars = 64, chars = "alnum")]
    pub group_id: String,
    /// Each key of the extra ids, written as a set.
    #[endpoint(chars = "A-Za-z0-9+=-_", len = 4)]
    pub tags: Vec<String>,
    #[endpoint(chars = "alpha")]
    pub name: Option<String>,
}

#[derive(Validate)]
pub struct Part {
    #[validate(len = 2, chars = "a-f")]
    pub code: String,
}

fn main() {
    assert_eq!(
        History {
            date: "2026120314".into()
        }
        .validate(),
        Ok(())
    );
    let bad = History {
        date: "2026-12-03".into(),
    };
    let found: Vec<String> = bad
        .validate()
        .unwrap_err()
        .violations()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(found, ["date: only digits (0-9) (got \"2026-12-03\")"]);
    let short = History {
        date: "20261203".into(),
    };
    let error = short.validate().unwrap_err();
    assert_eq!(error.violations()[0].rule(), &Rule::Length(10));
    assert_eq!(error.violations()[0].actual(), &Actual::Size(8));

    let create = UltraGroupCreate {
        user_id: "u1".into(),
        group_id: "group_1".into(),
        tags: vec!["a+=-".into(), "a b1".into(), "toolong".into()],
        name: Some("Name1".into()),
    };
    let found: Vec<String> = create
        .validate()
        .unwrap_err()
        .violations()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        [
            "group_id: only letters and digits (A-Za-z0-9) (got \"group_1\")",
            "tags[2]: exactly 4 characters (got 7)",
            "tags[1]: only characters of [A-Za-z0-9+=-_] (got \"a b1\")",
            "name: only letters (A-Za-z) (got \"Name1\")",
        ]
    );
    let long = UltraGroupCreate {
        user_id: "u1".into(),
        group_id: "g".repeat(65),
        tags: Vec::new(),
        name: None,
    };
    assert_eq!(
        long.validate().unwrap_err().violations()[0].rule(),
        &Rule::MaxChars(64)
    );

    let part = Part { code: "ag".into() };
    assert_eq!(
        part.validate().unwrap_err().violations()[0].to_string(),
        "code: only characters of [a-f] (got \"ag\")"
    );
}
