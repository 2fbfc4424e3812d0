//! Page 003: `/user/tag/set.json` and `/user/tag/batch/set.json`.

use serde_json::json as j;

use crate::{TAG_BATCH_SET, TAG_SET, assert_error, call, emulator, json};
use api_emulator::documented::{
    TAG_BATCH_SET as TAG_BATCH_SET_EXAMPLE, TAG_SET as TAG_SET_EXAMPLE,
};

#[tokio::test]
async fn documented_examples_are_accepted_and_overwrite() {
    let emu = emulator().await;
    let resp = call(&emu, &json(&emu, TAG_SET, TAG_SET_EXAMPLE)).await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json(), j!({"code": 200}));
    assert_eq!(
        emu.user_tags("31232"),
        Some(vec!["bj".to_owned(), "男".to_owned()])
    );

    let resp = call(&emu, &json(&emu, TAG_BATCH_SET, TAG_BATCH_SET_EXAMPLE)).await;
    assert_eq!(resp.json(), j!({"code": 200}));
    assert_eq!(
        emu.user_tags("id2"),
        Some(vec!["bj".to_owned(), "男".to_owned()])
    );

    // A later call replaces the tags.
    let body = j!({"userId": "31232", "tags": ["sh"]}).to_string();
    call(&emu, &json(&emu, TAG_SET, &body)).await;
    assert_eq!(emu.user_tags("31232"), Some(vec!["sh".to_owned()]));
    // Tags are not messages.
    assert!(emu.deliveries().is_empty());
}

#[tokio::test]
async fn limits() {
    let emu = emulator().await;
    let tags20: Vec<String> = (0..20).map(|i| format!("t{i}")).collect();
    let tags21: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    let users1000: Vec<String> = (0..1000).map(|i| format!("u{i}")).collect();
    let users1001: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let ok = [
        (TAG_SET, j!({"userId": "u", "tags": tags20})),
        (TAG_SET, j!({"userId": "u", "tags": ["男".repeat(13)]})),
        (TAG_BATCH_SET, j!({"userIds": users1000, "tags": ["a"]})),
    ];
    for (path, body) in ok {
        let resp = call(&emu, &json(&emu, path, &body.to_string())).await;
        assert_eq!(resp.code(), 200, "{body}: {}", resp.error_message());
    }
    let bad = [
        (TAG_SET, j!({"userId": "u", "tags": tags21}), 1002, "tags"),
        (
            TAG_SET,
            j!({"userId": "u", "tags": ["男".repeat(14)]}),
            1005,
            "tags",
        ),
        (TAG_SET, j!({"tags": ["a"]}), 1002, "userId"),
        (TAG_SET, j!({"userId": "u"}), 1002, "tags"),
        (TAG_SET, j!({"userId": "u", "tags": "a"}), 1002, "tags"),
        (TAG_SET, j!({"userId": 5, "tags": ["a"]}), 1002, "userId"),
        (
            TAG_BATCH_SET,
            j!({"userIds": users1001, "tags": ["a"]}),
            1002,
            "userIds",
        ),
        (
            TAG_BATCH_SET,
            j!({"userIds": [], "tags": ["a"]}),
            1002,
            "userIds",
        ),
        (
            TAG_BATCH_SET,
            j!({"userId": "u", "tags": ["a"]}),
            1002,
            "userIds",
        ),
    ];
    for (path, body, code, mentions) in bad {
        assert_error(
            &call(&emu, &json(&emu, path, &body.to_string())).await,
            400,
            code,
            mentions,
        );
    }
}
