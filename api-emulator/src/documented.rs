//! The example request bodies of the documentation pages, copied verbatim
//! from `shared/api-docs/`, with the page each comes from.
//!
//! They are what the emulator's own tests replay, and what a client's
//! tests can compare its encoder with: this crate's tests and the client's
//! `documented_examples` test both read them from here, so the
//! documentation is copied once. Form bodies are as the pages print them
//! (already percent-encoded); JSON bodies keep the pages' spacing.

/// Page 001 "请求示例".
pub const PRIVATE_PUBLISH: &str = r#"content=%7B%22content%22%3A%22hello%22%2C%22extra%22%3A%22helloExtra%22%7D&fromUserId=2191&toUserId=2193&toUserId=2192&objectName=RC:TxtMsg&pushContent=thisisapush&pushData=%7B%22pushData%22%3A%22hello%22%7D&count=4&verifyBlacklist=0&isPersisted=1&isIncludeSender=0&disablePush=false&expansion=false"#;

/// Page 001 "pushExt 结构示例".
pub const PUSH_EXT: &str = r#"{
"title":"you have a new message.",
"templateId":"123456",
"forceShowPushContent":0,
"pushConfigs": [
{
"HW": {
"channelId": "hw-123",
"importance": "NORMAL",
"image":"https://example.com/image.png"
}
},
{
"MI": {
"channelId": "mi-123",
"large_icon_uri":"https://example.com/image.png"
}
},
{
"OPPO": {
"channelId": "oppo-123",
"category": "IM",
"notify_level": 2
}
},
{
"VIVO" : {"classification": "0"}
},
{
"APNs": {
"thread-id": "123",
"apns-collapse-id":"123456",
"richMediaUri":"https://example.com/image.png"
}
},
{
"FCM": {
"channelId":"rongcloud_channelid",
"collapse_key":"1234",
"imageUrl":"https://example.com/image.png"
}
},
{
"OHOS": {
"category": "IM",
"image":"https://example.com/image.png"
}
}
]
}"#;

/// Page 002 "pushExt 结构示例" (differs from page 001's only in the OPPO
/// entry).
pub const PUSH_EXT_002: &str = r#"{ "title":"you have a new message.", "templateId":"123456", "forceShowPushContent":0, "pushConfigs": [ { "HW": { "channelId": "hw-123", "importance": "NORMAL", "image":"https://example.com/image.png" } }, { "MI": { "channelId": "mi-123", "large_icon_uri":"https://example.com/image.png" } }, { "OPPO": {"channelId": "oppo-123"} }, { "VIVO" : {"classification": "0"} }, { "APNs": { "thread-id": "123", "apns-collapse-id":"123456", "richMediaUri":"https://example.com/image.png" } }, { "FCM": { "channelId":"rongcloud_channelid", "collapse_key":"1234", "imageUrl":"https://example.com/image.png" } }, { "OHOS": { "category": "IM", "image":"https://example.com/image.png" } } ] }"#;

/// Page 002 "请求示例".
pub const SYSTEM_PUBLISH: &str = r#"content=%7B%22content%22%3A%22hello%22%2C%22extra%22%3A%22helloExtra%22%7D&fromUserId=2191&toUserId=2191&toUserId=2192&objectName=RC:TxtMsg&pushContent=thisisapush&pushData=hello"#;

/// Page 004 "请求示例".
pub const ONLINE_BROADCAST: &str = r#"content=%7B%22content%22%3A%22hello%22%2C%22extra%22%3A%22helloExtra%22%7D&fromUserId=2191&objectName=RC:TxtMsg"#;

/// Page 000 "请求示例".
pub const PACKAGE_NOTIFICATION: &str = r#"{
"platform":["ios","android"],
"fromuserid": "fromuseId1",
"audience":{
"packageName":"xxx.rong.xxx",
"is_to_all":false
},
"message": {
"content": "{\"content\":\"1111\",\"extra\":\"aa\"}",
"objectName": "RC:TxtMsg"
},
"notification":{
"title":"标题",
"forceShowPushContent":0,
"alert":"this is a push",
"ios":
{
"alert": "override alert",
"thread-id":"223",
"apns-collapse-id":"111",
"extras": {"id": "1","name": "2"}
},
"android": {
"alert": "override alert",
"hw":{
"channelId":"NotificationKanong",
"importance": "NORMAL",
"image":"https://example.com/image.png"
},
"mi":{
"channelId":"rongcloud_kanong",
"large_icon_uri":"https://example.com/image.png"
},
"oppo":{
"channelId":"rc_notification_id",
"category": "IM",
"notify_level": 2
},
"vivo":{
"classification":"0"
},
"extras": {"id": "1","name": "2"}
},
"harmonyOS": {
"ohos":{
"category":"IM",
"image":"https://example.com/image.png"
},
"extras": {"id": "1","name": "2"}
}
}
}"#;

/// Page 003 example.
pub const TAG_SET: &str = r#"{"userId":"31232","tags":["bj","男"]}"#;

/// Page 003 example.
pub const TAG_BATCH_SET: &str = r#"{"userIds":["id1","id2"],"tags":["bj","男"]}"#;

/// Page 003 example.
pub const BROADCAST_FULL: &str = r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"tag":["女","年轻"],"tag_or":["北京","上海"],"userid":["123","456"],"is_to_all":false},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push","ios": {"alert": "override alert","extras": {"id": "1","name": "2"}},"android": {"alert": "override alert","extras": {"id": "1","name": "2"}}}}"#;

/// Page 003 example.
pub const BROADCAST_BY_TAG: &str = r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"tag":["女","年轻","北京"]},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push"}}"#;

/// Page 003 example.
pub const BROADCAST_BY_USERID: &str = r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"userid":["123","456"]},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push"}}"#;

/// Page 003 example.
pub const BROADCAST_TO_ALL: &str = r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"is_to_all":true},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push"}}"#;

/// Page 003 example.
pub const BROADCAST_PER_PLATFORM_ALERT: &str = r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"is_to_all":true},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push","ios": {"alert": "iOS 通知显示内容","extras": {"id": "1","name": "2"}},"android": {"alert": "Android 通知显示内容","extras": {"id": "1","name": "2"}}}}"#;

/// Page 003 example.
pub const BROADCAST_SILENT: &str = r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"is_to_all":true},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push","ios": {"alert": "iOS 通知显示内容","contentAvailable":1},"android": {"alert": "Android 通知显示内容"}}}"#;

/// Page 003 example.
pub const PUSH_FULL: &str = r#"{"platform":["ios","android"],"audience":{"tag":["女","年轻"],"tag_or":["北京","上海"],"userid":["123","456"],"is_to_all":false},"notification":{"alert":"this is a push","ios": {"title": "标题","alert": "override alert","extras": {"id": "1","name": "2"}},"android": {"alert": "override alert","extras": {"id": "1","name": "2"}}}}"#;

/// Page 003 example.
pub const PUSH_BY_TAG: &str = r#"{"platform":["ios","android"],"audience":{"tag":["女","年轻","北京"]},"notification":{"alert":"this is a push"}}"#;

/// Page 003 example.
pub const PUSH_BY_USERID: &str = r#"{"platform":["ios","android"],"audience":{"userid":["123","456"]},"notification":{"alert":"this is a push"}}"#;

/// Page 003 example.
pub const PUSH_BY_PACKAGE_NAME: &str = r#"{"platform":["ios","android"],"audience":{"packageName": "cn.xxxxxx.xxx"},"notification":{"alert":"this is a push"}}"#;

/// Page 003 example.
pub const PUSH_TO_ALL: &str = r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"alert":"this is a push"}}"#;

/// Page 003 example.
pub const PUSH_PER_PLATFORM_ALERT: &str = r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"alert":"this is a push","ios": {"alert": "iOS 平台显示内容","extras": {"id": "1","name": "2"}},"android": {"alert": "Android 平台显示内容","extras": {"id": "1","name": "2"}}}}"#;

/// Page 003 example.
pub const PUSH_IOS_BADGE: &str = r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"alert":"this is a push","ios": {"alert": "iOS 平台显示内容","badge":2,"extras": {"id": "1","name": "2"}},"android": {"alert": "Android 平台显示内容","extras": {"id": "1","name": "2"}}}}"#;

/// Page 003 example.
pub const PUSH_IOS_TITLE: &str = r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"alert":"this is a push","ios": {"title": "iOS 平台显示标题","alert": "iOS 平台显示内容","extras": {"id": "1","name": "2"}},"android": {"alert": "Android 平台显示内容","extras": {"id": "1","name": "2"}}}}"#;

/// Page 003 example.
pub const PUSH_IOS_SILENT: &str = r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"alert":"this is a push","ios": {"title": "iOS 平台显示标题","alert": "iOS 平台显示内容","contentAvailable":1},"android": {"alert": "Android 平台显示内容"}}}"#;

/// Every `/push.json` example of pages 000 and 003.
pub const PUSH_EXAMPLES: &[(&str, &str)] = &[
    ("PACKAGE_NOTIFICATION", PACKAGE_NOTIFICATION),
    ("BROADCAST_FULL", BROADCAST_FULL),
    ("BROADCAST_BY_TAG", BROADCAST_BY_TAG),
    ("BROADCAST_BY_USERID", BROADCAST_BY_USERID),
    ("BROADCAST_TO_ALL", BROADCAST_TO_ALL),
    ("BROADCAST_PER_PLATFORM_ALERT", BROADCAST_PER_PLATFORM_ALERT),
    ("BROADCAST_SILENT", BROADCAST_SILENT),
    ("PUSH_FULL", PUSH_FULL),
    ("PUSH_BY_TAG", PUSH_BY_TAG),
    ("PUSH_BY_USERID", PUSH_BY_USERID),
    ("PUSH_BY_PACKAGE_NAME", PUSH_BY_PACKAGE_NAME),
    ("PUSH_TO_ALL", PUSH_TO_ALL),
    ("PUSH_PER_PLATFORM_ALERT", PUSH_PER_PLATFORM_ALERT),
    ("PUSH_IOS_BADGE", PUSH_IOS_BADGE),
    ("PUSH_IOS_TITLE", PUSH_IOS_TITLE),
    ("PUSH_IOS_SILENT", PUSH_IOS_SILENT),
];

// The calls of issue 13. Their pages are not in `shared/api-docs/`; these are
// the "请求示例" bodies of the provider's pages as stored for API-BREADTH.md,
// copied verbatim (docs.rongcloud.cn/platform-chat-api/..., the same bodies on
// docs.rongcloud.io).

/// `/user/info.json`, page `user/get`.
pub const USER_INFO: &str = "userId=123";

/// `/user/token/expire.json`, page `user/expire`.
pub const USER_TOKEN_EXPIRE: &str = "userId=test1&userId=test2&time=1615362955344";

/// `/group/create.json`, page `group/create-group`.
pub const GROUP_CREATE: &str = "userId=1&userId=2&groupId=123&groupName=TestGroup";

/// `/group/sync.json`, page `group/sync-group` (brackets unencoded, as printed).
pub const GROUP_SYNC: &str =
    "userId=2014&group[10001]=TestGroup1&group[10002]=TestGroup2&group[10003]=TestGroup3";

/// `/chatroom/destroy.json`, page `chatroom/destroy`.
pub const CHATROOM_DESTROY: &str = "chatroomId=10001&chatroomId=10002";
