//! Validate + encode + sign the largest documented `/push.json` example
//! (page 000, package-name notification with every platform's options),
//! beside `serde_json` writing the same document from a prebuilt `Value`
//! plus the SHA-1 of the signature input, in the same run.

use std::hint::black_box;

use api_core::{Credentials, PreparedRequest, RequestId, Signer};
use api_endpoints::*;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use sha1::{Digest, Sha1};

fn extras() -> Extras {
    let mut extras = Extras::new();
    extras.insert("id".into(), json!("1"));
    extras.insert("name".into(), json!("2"));
    extras
}

fn example() -> PackageNameNotification<TextMessage> {
    PackageNameNotification::new(
        "fromuseId1",
        "xxx.rong.xxx",
        TextMessage::new("1111").extra("aa"),
    )
    .notification(
        Notification::alert("this is a push")
            .title("标题")
            .force_show_push_content(false)
            .ios(
                IosNotification::new()
                    .alert("override alert")
                    .thread_id("223")
                    .apns_collapse_id("111")
                    .extras(extras()),
            )
            .android(
                AndroidNotification::new()
                    .alert("override alert")
                    .hw(HwConfig::new()
                        .channel_id("NotificationKanong")
                        .importance(Importance::Normal)
                        .image("https://example.com/image.png"))
                    .mi(MiConfig::new()
                        .channel_id("rongcloud_kanong")
                        .large_icon_uri("https://example.com/image.png"))
                    .oppo(
                        OppoConfig::new()
                            .channel_id("rc_notification_id")
                            .category("IM")
                            .notify_level(OppoNotifyLevel::BarLockScreen),
                    )
                    .vivo(VivoConfig::new().classification(VivoClassification::Operation))
                    .extras(extras()),
            )
            .harmony_os(
                HarmonyOsNotification::new()
                    .ohos(
                        OhosConfig::new()
                            .category("IM")
                            .image("https://example.com/image.png"),
                    )
                    .extras(extras()),
            ),
    )
}

fn bench(c: &mut Criterion) {
    let signer = Signer::new(Credentials::new("uwd1c0sxdlx2", "Y1W2MeFwwwRxa0"));
    let request = example();
    let prepared = PreparedRequest::new(&request, RequestId::new()).unwrap();
    let document: serde_json::Value = serde_json::from_slice(prepared.body()).unwrap();
    let mut group = c.benchmark_group("push_package_name_000");
    group.bench_function("ours", |b| {
        b.iter(|| {
            let prepared = PreparedRequest::new(black_box(&request), RequestId::new()).unwrap();
            black_box((signer.sign(), prepared))
        })
    });
    group.bench_function("bare", |b| {
        b.iter(|| {
            let body = serde_json::to_vec(black_box(&document)).unwrap();
            let mut sha = Sha1::new();
            sha.update(b"Y1W2MeFwwwRxa0");
            sha.update(b"14314");
            sha.update(b"1585127132438");
            black_box((body, hex::encode(sha.finalize())))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
