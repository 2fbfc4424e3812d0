//! A 1,000,000-recipient campaign against an emulator in another process,
//! measuring this process's peak memory (`VmHWM`) after each phase: writing
//! the recipients file, importing it, sending, and writing the CSV report.
//!
//! ```sh
//! cargo build --release -p api-emulator --example million -p api-campaign
//! target/release/api-emulator --listen 127.0.0.1:18080 --no-rate-limits --max-records 1000 &
//! RONGCLOUD_API_URL=http://127.0.0.1:18080 /usr/bin/time -v target/release/examples/million
//! ```
//!
//! Variables: `RONGCLOUD_API_URL` (required), `RONGCLOUD_APP_KEY` and
//! `RONGCLOUD_APP_SECRET` (default: the emulator's), `RECIPIENTS` (default
//! 1,000,000), `CONCURRENCY` (default 8). Pacing is off: the emulator runs
//! without rate limits, so this measures the campaign, not the quota.

use std::io::{BufWriter, Write};
use std::time::Instant;

use api_campaign::{Campaign, Journal, RecipientSource};
use api_core::{Client, Credentials, Pacing};
use api_endpoints::{PrivatePublish, TextMessage};

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches(" kB").parse().ok())
        })
        .unwrap_or(0)
}

fn var(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("RONGCLOUD_API_URL")
        .map_err(|_| "set RONGCLOUD_API_URL to the emulator's address")?;
    let recipients: usize = var("RECIPIENTS", "1000000").parse()?;
    let concurrency: usize = var("CONCURRENCY", "8").parse()?;
    let client = Client::builder(Credentials::new(
        var("RONGCLOUD_APP_KEY", api_emulator::DEFAULT_APP_KEY),
        var("RONGCLOUD_APP_SECRET", api_emulator::DEFAULT_APP_SECRET),
    ))
    .base_urls([url])
    .pacing(Pacing::disabled())
    .build()?;

    let dir = tempfile::tempdir()?;
    let file = dir.path().join("recipients.txt");
    let mut out = BufWriter::new(std::fs::File::create(&file)?);
    writeln!(out, "userId")?;
    for i in 0..recipients as u64 {
        // Distinct ids in a scrambled order (multiplying by an odd number
        // is a bijection modulo 2^32), the harder case for the import's
        // duplicate check than sorted ids.
        writeln!(out, "user{:010}", (i * 2_654_435_761) % (1 << 32))?;
    }
    out.flush()?;
    drop(out);
    println!("file written: peak RSS {} KiB", peak_rss_kib());

    let journal = dir.path().join("million.journal");
    let started = Instant::now();
    let template = PrivatePublish::new("ops", Vec::<String>::new(), TextMessage::new("notice"));
    let campaign = Campaign::builder(client, template)
        .concurrency(concurrency)
        .create(&journal, RecipientSource::file(&file))
        .await?;
    let imported = started.elapsed();
    println!(
        "imported {} recipients in {} chunks in {imported:.2?}: peak RSS {} KiB",
        campaign.info().recipients,
        campaign.info().chunks,
        peak_rss_kib()
    );

    let started = Instant::now();
    let summary = campaign.run().await?;
    let sent = started.elapsed();
    campaign.close().await?;
    println!(
        "sent in {sent:.2?} ({:.0} recipients/s, {} calls): {}; peak RSS {} KiB",
        summary.counts.recipients as f64 / sent.as_secs_f64(),
        summary.calls,
        summary.counts,
        peak_rss_kib()
    );

    let started = Instant::now();
    let opened = Journal::open(&journal)?;
    let report = opened
        .report()?
        .write_csv(BufWriter::new(std::fs::File::create(
            dir.path().join("report.csv"),
        )?))?;
    println!(
        "CSV report of {} lines in {:.2?}: peak RSS {} KiB; journal {} MiB, report {} MiB",
        report.recipients,
        started.elapsed(),
        peak_rss_kib(),
        std::fs::metadata(&journal)?.len() / (1 << 20),
        std::fs::metadata(dir.path().join("report.csv"))?.len() / (1 << 20),
    );
    Ok(())
}
