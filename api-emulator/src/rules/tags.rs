//! `POST /user/tag/set.json` and `POST /user/tag/batch/set.json`: page 003
//! ("添加标签方法", "批量添加标签方法").

use super::TagRequest;
use super::json::{self, Obj};
use crate::rejection::{Checked, Rejection};

/// 003: "一个用户最多添加 20 个标签".
const MAX_TAGS_PER_USER: usize = 20;
/// 003: "每个 tags 最大不能超过 40 个字节".
const MAX_TAG_BYTES: usize = 40;
/// 003: userIds "一次最多支持 1000 个用户".
const MAX_BATCH_USERS: usize = 1000;

pub(super) fn check_set(body: &[u8]) -> Checked<TagRequest> {
    let obj = json::parse_object(body, "body")?;
    let user_id = json::req_str(&obj, "", "userId")?;
    let tags = tags(&obj)?;
    Ok(TagRequest {
        user_ids: vec![user_id.to_owned()],
        tags,
    })
}

pub(super) fn check_batch_set(body: &[u8]) -> Checked<TagRequest> {
    let obj = json::parse_object(body, "body")?;
    let user_ids = json::opt_str_array(&obj, "", "userIds")?
        .ok_or_else(|| Rejection::invalid("userIds: required"))?;
    if user_ids.is_empty() {
        return Err(Rejection::invalid("userIds: must not be empty"));
    }
    if user_ids.len() > MAX_BATCH_USERS {
        return Err(Rejection::invalid(format!(
            "userIds: at most {MAX_BATCH_USERS} users per call, got {}",
            user_ids.len()
        )));
    }
    if user_ids.iter().any(|u| u.is_empty()) {
        return Err(Rejection::invalid("userIds: must not contain empty ids"));
    }
    let tags = tags(&obj)?;
    Ok(TagRequest {
        user_ids: user_ids.into_iter().map(str::to_owned).collect(),
        tags,
    })
}

/// `tags` (必传): at most 20, each 1..=40 bytes. An empty list is accepted: the call
/// replaces the user's tags ("再次对用户添加标签时将覆盖之前设置的标签内容"), and
/// replacing them with nothing is how a caller clears them.
fn tags(obj: &Obj) -> Checked<Vec<String>> {
    let tags = json::opt_str_array(obj, "", "tags")?
        .ok_or_else(|| Rejection::invalid("tags: required"))?;
    if tags.len() > MAX_TAGS_PER_USER {
        return Err(Rejection::invalid(format!(
            "tags: at most {MAX_TAGS_PER_USER} tags per user, got {}",
            tags.len()
        )));
    }
    for tag in &tags {
        if tag.is_empty() {
            return Err(Rejection::invalid("tags: must not contain empty tags"));
        }
        if tag.len() > MAX_TAG_BYTES {
            return Err(Rejection::too_long(format!(
                "tags: tag {tag:?} is {} bytes, at most {MAX_TAG_BYTES}",
                tag.len()
            )));
        }
    }
    Ok(tags.into_iter().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples_are_accepted() {
        let set = check_set(r#"{"userId":"31232","tags":["bj","男"]}"#.as_bytes()).unwrap();
        assert_eq!(set.user_ids, ["31232"]);
        assert_eq!(set.tags, ["bj", "男"]);
        let batch =
            check_batch_set(r#"{"userIds":["id1","id2"],"tags":["bj","男"]}"#.as_bytes()).unwrap();
        assert_eq!(batch.user_ids, ["id1", "id2"]);
    }

    #[test]
    fn limits() {
        // 14 three-byte characters are 42 bytes.
        let long = format!(r#"{{"userId":"u","tags":["{}"]}}"#, "男".repeat(14));
        assert_eq!(check_set(long.as_bytes()).unwrap_err().code, 1005);
        let ok = format!(r#"{{"userId":"u","tags":["{}"]}}"#, "男".repeat(13));
        check_set(ok.as_bytes()).unwrap();
        let many: Vec<String> = (0..21).map(|i| format!("\"t{i}\"")).collect();
        let body = format!(r#"{{"userId":"u","tags":[{}]}}"#, many.join(","));
        assert_eq!(check_set(body.as_bytes()).unwrap_err().code, 1002);
        assert_eq!(check_set(br#"{"tags":["a"]}"#).unwrap_err().code, 1002);
        assert_eq!(check_set(br#"{"userId":"u"}"#).unwrap_err().code, 1002);
        let users: Vec<String> = (0..1001).map(|i| format!("\"u{i}\"")).collect();
        let body = format!(r#"{{"userIds":[{}],"tags":["a"]}}"#, users.join(","));
        assert_eq!(check_batch_set(body.as_bytes()).unwrap_err().code, 1002);
    }
}
