//! Per-connection request counting (the provider wants < 80 requests per connection).

use crate::client::Conn;
use crate::{PRIVATE, emulator, form, private_body};

#[tokio::test]
async fn requests_are_counted_per_kept_alive_connection() {
    let emu = emulator().await;
    let req = form(&emu, PRIVATE, &private_body(&["u"]));
    let mut first = Conn::open(emu.addrs()[0]).await.unwrap();
    let mut second = Conn::open(emu.addrs()[0]).await.unwrap();
    for _ in 0..3 {
        assert_eq!(first.send(&req).await.unwrap().code(), 200);
    }
    for _ in 0..2 {
        assert_eq!(second.send(&req).await.unwrap().code(), 200);
    }
    let mut counts = emu.requests_per_connection();
    counts.sort_unstable();
    assert_eq!(counts, [2, 3]);
    assert_eq!(emu.max_requests_per_connection(), 3);
    let stats = emu.connections();
    assert!(stats.iter().all(|c| c.open && c.host == 0));
    let first_id = emu.requests()[0].connection;
    assert!(emu.requests()[..3].iter().all(|r| r.connection == first_id));

    drop(first);
    drop(second);
    for _ in 0..100 {
        if emu.connections().iter().all(|c| !c.open) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert!(emu.connections().iter().all(|c| !c.open));
}

#[tokio::test]
async fn idle_kept_alive_connections_are_closed() {
    let emu = api_emulator::Emulator::builder()
        .idle_timeout(Some(std::time::Duration::from_millis(100)))
        .start()
        .await
        .unwrap();
    let req = form(&emu, PRIVATE, &private_body(&["u"]));
    let mut conn = Conn::open(emu.addrs()[0]).await.unwrap();
    assert_eq!(conn.send(&req).await.unwrap().code(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(conn.send(&req).await.is_err(), "closed after being idle");
    assert_eq!(emu.deliveries().len(), 1);
}
