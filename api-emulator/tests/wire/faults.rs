//! Fault injection: refusals, delays, hangs, error answers, drop after processing.

use std::io;
use std::time::{Duration, Instant};

use api_emulator::{Emulator, Fault};

use crate::client::{Conn, send};
use crate::{PRIVATE, PUSH, assert_error, call, emulator, form, json, private_body};
use api_emulator::documented::PUSH_TO_ALL;

#[tokio::test]
async fn refused_connections_close_before_any_answer() {
    let emu = emulator().await;
    emu.inject(Fault::refuse_connections().times(1));
    let req = form(&emu, PRIVATE, &private_body(&["u"]));
    let err = send(emu.addrs()[0], &req).await.unwrap_err();
    assert!(matches!(
        err.kind(),
        io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset
    ));
    assert_eq!(emu.refused_connections(), 1);
    // Only one connection was refused; nothing was processed.
    assert_eq!(call(&emu, &req).await.code(), 200);
    assert_eq!(emu.deliveries().len(), 1);
}

#[tokio::test]
async fn a_host_taken_down_refuses_connections_until_brought_up() {
    let emu = Emulator::builder().hosts(2).start().await.unwrap();
    let backup = emu.addrs()[1];
    let mut kept = Conn::open(backup).await.unwrap();
    let req = form(&emu, PRIVATE, &private_body(&["u"]));
    assert_eq!(kept.send(&req).await.unwrap().code(), 200);

    assert!(emu.take_host_down(1).await);
    assert!(!emu.is_host_up(1));
    let err = tokio::net::TcpStream::connect(backup).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
    // Its open connections are closed too; the primary is unaffected.
    assert!(kept.send(&req).await.is_err());
    assert_eq!(call(&emu, &req).await.code(), 200);

    emu.bring_host_up(1).await.unwrap();
    assert_eq!(emu.addrs()[1], backup);
    assert_eq!(send(backup, &req).await.unwrap().code(), 200);
    let hosts: Vec<usize> = emu.deliveries().iter().map(|d| d.host).collect();
    assert_eq!(hosts, [1, 0, 1]);
}

#[tokio::test]
async fn delay_answers_late_after_processing() {
    let emu = emulator().await;
    emu.inject(Fault::delay(Duration::from_millis(200)).times(1));
    let started = Instant::now();
    let resp = call(&emu, &form(&emu, PRIVATE, &private_body(&["u"]))).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(resp.code(), 200);
    assert_eq!(emu.deliveries().len(), 1);
    let started = Instant::now();
    call(&emu, &form(&emu, PRIVATE, &private_body(&["u"]))).await;
    assert!(started.elapsed() < Duration::from_millis(200));
}

#[tokio::test]
async fn error_answers_for_the_next_n_calls() {
    let emu = emulator().await;
    let id = emu.inject(Fault::internal_error().on_path(PRIVATE).times(2));
    let req = form(&emu, PRIVATE, &private_body(&["u"]));
    let mut conn = Conn::open(emu.addrs()[0]).await.unwrap();
    for _ in 0..2 {
        let resp = conn.send(&req).await.unwrap();
        assert_eq!((resp.status, resp.code()), (500, 1000));
    }
    // The connection stays usable and the fault has expired.
    assert_eq!(conn.send(&req).await.unwrap().code(), 200);
    assert_eq!(emu.fault_hits(id), Some(2));
    assert_eq!(emu.deliveries().len(), 1);
    assert_eq!(emu.answer_count(1000), 2);

    emu.inject(Fault::internal_timeout().times(1));
    let resp = conn.send(&req).await.unwrap();
    assert_eq!((resp.status, resp.code()), (504, 1050));
}

#[tokio::test]
async fn rate_limited_fault_can_carry_retry_after() {
    let emu = emulator().await;
    emu.inject(
        Fault::rate_limited()
            .retry_after(Duration::from_secs(3))
            .times(1),
    );
    let resp = call(&emu, &form(&emu, PRIVATE, &private_body(&["u"]))).await;
    assert_eq!((resp.status, resp.code()), (429, 1008));
    assert_eq!(resp.header("retry-after"), Some("3"));
    assert!(emu.deliveries().is_empty());
    assert!(emu.requests()[0].faulted);
}

#[tokio::test]
async fn drop_after_processing_delivers_but_never_answers() {
    let emu = emulator().await;
    emu.inject(Fault::drop_after_processing().times(1));
    let req = form(&emu, PRIVATE, &private_body(&["u"])).header("X-Request-ID", "lost-answer");
    let mut conn = Conn::open(emu.addrs()[0]).await.unwrap();
    assert!(
        conn.send(&req).await.is_err(),
        "the client sees the connection closed"
    );
    let deliveries = emu.deliveries();
    assert_eq!(deliveries.len(), 1, "the message was delivered");
    assert_eq!(deliveries[0].request_id.as_deref(), Some("lost-answer"));
    let record = &emu.requests()[0];
    assert_eq!((record.status, record.code), (None, Some(200)));
    assert!(record.delivered);
    assert_eq!(emu.dropped_answers(), 1);
    assert_eq!(emu.answer_count(200), 0);
}

#[tokio::test]
async fn hang_closes_without_processing() {
    let emu = emulator().await;
    emu.inject(Fault::hang(Duration::from_millis(50)).times(1));
    let started = Instant::now();
    let err = send(emu.addrs()[0], &form(&emu, PRIVATE, &private_body(&["u"]))).await;
    assert!(err.is_err());
    assert!(started.elapsed() >= Duration::from_millis(50));
    assert!(emu.deliveries().is_empty());
    assert_eq!(emu.requests()[0].code, None);
}

#[tokio::test]
async fn faults_match_host_and_path_and_can_be_cleared() {
    let emu = Emulator::builder()
        .hosts(2)
        .rate_limits(false)
        .start()
        .await
        .unwrap();
    let (primary, backup) = (emu.addrs()[0], emu.addrs()[1]);
    let id = emu.inject(Fault::error(503, 1000).on_host(0).on_path(PUSH));
    let push = json(&emu, PUSH, PUSH_TO_ALL);
    let publish = form(&emu, PRIVATE, &private_body(&["u"]));
    assert_eq!(send(primary, &push).await.unwrap().status, 503);
    assert_eq!(send(primary, &push).await.unwrap().status, 503);
    assert_eq!(send(primary, &publish).await.unwrap().status, 200);
    assert_eq!(send(backup, &push).await.unwrap().status, 200);
    assert!(emu.clear_fault(id));
    assert_eq!(send(primary, &push).await.unwrap().status, 200);

    emu.inject(Fault::internal_error());
    emu.clear_faults();
    let resp = send(primary, &publish).await.unwrap();
    assert_error(&resp, 200, 200, "");
}
