//! Per-App-Key services (pages 000, 003, 004): HTTP 430, code 1009 when off.

use api_emulator::{AppConfig, Emulator, Service};

use crate::client::RawRequest;
use crate::{ONLINE, PRIVATE, PUSH, assert_error, call, form, json, private_body};
use api_emulator::documented::{
    BROADCAST_TO_ALL, ONLINE_BROADCAST, PACKAGE_NOTIFICATION, PUSH_TO_ALL,
};

#[tokio::test]
async fn each_switched_off_service_answers_430_1009() {
    for (service, path, body) in [
        (Service::Push, PUSH, PUSH_TO_ALL),
        (Service::Broadcast, PUSH, BROADCAST_TO_ALL),
        (Service::PackageNotification, PUSH, PACKAGE_NOTIFICATION),
        (Service::OnlineBroadcast, ONLINE, ONLINE_BROADCAST),
    ] {
        let emu = Emulator::builder()
            .service(service, false)
            .rate_limits(false)
            .start()
            .await
            .unwrap();
        let req = if path == ONLINE {
            form(&emu, path, body)
        } else {
            json(&emu, path, body)
        };
        let resp = call(&emu, &req).await;
        assert_error(&resp, 430, 1009, service.name());
        assert_eq!(resp.reason, "Service Not Enabled");
        assert!(emu.deliveries().is_empty());
        // The other services and plain publishing still work.
        for (other, other_body) in [
            (Service::Push, PUSH_TO_ALL),
            (Service::Broadcast, BROADCAST_TO_ALL),
            (Service::PackageNotification, PACKAGE_NOTIFICATION),
        ] {
            if other != service {
                assert_eq!(call(&emu, &json(&emu, PUSH, other_body)).await.code(), 200);
            }
        }
        let resp = call(&emu, &form(&emu, PRIVATE, &private_body(&["u"]))).await;
        assert_eq!(resp.code(), 200);
    }
}

#[tokio::test]
async fn services_switch_at_runtime_and_per_app() {
    let emu = Emulator::builder()
        .app("plain", "s1")
        .app_config(AppConfig::new("no-broadcast", "s2").service(Service::Broadcast, false))
        .rate_limits(false)
        .start()
        .await
        .unwrap();
    let as_app = |key: &str, secret: &str| {
        RawRequest::post(PUSH)
            .signed(key, secret)
            .json(BROADCAST_TO_ALL)
    };
    assert_eq!(call(&emu, &as_app("plain", "s1")).await.code(), 200);
    assert_eq!(call(&emu, &as_app("no-broadcast", "s2")).await.code(), 1009);
    assert!(emu.set_service("plain", Service::Broadcast, false));
    assert_eq!(call(&emu, &as_app("plain", "s1")).await.code(), 1009);
    assert!(emu.set_service("no-broadcast", Service::Broadcast, true));
    assert_eq!(call(&emu, &as_app("no-broadcast", "s2")).await.code(), 200);
    assert!(!emu.set_service("unknown", Service::Push, true));
    assert_eq!(
        emu.is_service_enabled("plain", Service::Broadcast),
        Some(false)
    );
}
