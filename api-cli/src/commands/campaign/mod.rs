//! `rongcloud campaign run|resume|report`, on the `api-campaign` crate: its
//! journal, its resume rules and its reports.

mod html;
mod progress;
mod signals;
mod template;

use std::path::Path;
use std::time::Duration;

use api_campaign::{Campaign, CampaignError, Counts, Journal, RecipientSource, RunSummary};
use api_core::{PerRecipientIds, Recipients};
use api_endpoints::{PrivatePublish, SystemPublish};
use serde_json::json;

use super::{check_ids, print_json};
use crate::cli::{CampaignCommand, Global, ReportArgs, ReportFormat, ResumeArgs, RunArgs};
use crate::connect::{Connection, connect_with};
use crate::exit::{Exit, Failure};
use crate::limits::{self, Limit};
use template::Stored;

/// Runs `campaign`.
pub async fn run(global: &Global, command: &CampaignCommand) -> Result<(), Failure> {
    match command {
        CampaignCommand::Run(args) => run_campaign(global, args).await,
        CampaignCommand::Resume(args) => resume(global, args).await,
        CampaignCommand::Report(args) => report(global, args),
    }
}

/// How the journal is opened.
enum Open<'a> {
    /// Created from this recipients file, or resumed if it holds the same
    /// campaign.
    CreateOrResume(&'a Path),
    /// Resumed.
    Resume,
}

/// What every run needs besides the template.
struct Plan<'a> {
    journal: &'a Path,
    open: Open<'a>,
    concurrency: usize,
    chunk_size: Option<usize>,
    app_data: String,
    progress_every: Duration,
}

async fn run_campaign(global: &Global, args: &RunArgs) -> Result<(), Failure> {
    // Everything is checked before anything is sent: the limits, the
    // sender, the message; the recipients file while it is imported.
    let limits = limits::parse_all(&global.limits)?;
    check_ids("--from", [&args.from])?;
    let stored = Stored::new(args.system, &args.from, &args.message, &global.limits);
    let content = stored.content()?;
    if args.concurrency == 0 {
        return Err(Failure::usage("--concurrency must be at least 1"));
    }
    if args.chunk_size == Some(0) {
        return Err(Failure::usage("--chunk-size must be at least 1"));
    }
    let plan = Plan {
        journal: &args.journal,
        open: Open::CreateOrResume(&args.recipients),
        concurrency: args.concurrency,
        chunk_size: args.chunk_size,
        app_data: serde_json::to_string(&stored).expect("plain data serializes"),
        progress_every: Duration::from_secs(args.progress_every.max(1)),
    };
    dispatch(global, &limits, &stored, content, plan).await
}

async fn resume(global: &Global, args: &ResumeArgs) -> Result<(), Failure> {
    let stored = {
        let journal = Journal::open(&args.journal).map_err(campaign_failure)?;
        Stored::read(journal.info().app_data.as_deref(), &args.journal)?
    };
    // The limits given now, else those the campaign was created with.
    let given = if global.limits.is_empty() {
        &stored.limits
    } else {
        &global.limits
    };
    let limits = limits::parse_all(given)?;
    if args.concurrency == 0 {
        return Err(Failure::usage("--concurrency must be at least 1"));
    }
    let content = stored.content()?;
    let plan = Plan {
        journal: &args.journal,
        open: Open::Resume,
        concurrency: args.concurrency,
        chunk_size: None,
        app_data: String::new(),
        progress_every: Duration::from_secs(args.progress_every.max(1)),
    };
    dispatch(global, &limits, &stored, content, plan).await
}

async fn dispatch(
    global: &Global,
    limits: &[Limit],
    stored: &Stored,
    content: crate::content::Content,
    plan: Plan<'_>,
) -> Result<(), Failure> {
    let from = stored.from.clone();
    let push = stored.push_content.clone();
    let no_one = Vec::<String>::new();
    if stored.system {
        let mut template = SystemPublish::new(from, no_one, content);
        template.push_content = push;
        execute(global, limits, template, plan).await
    } else {
        let mut template = PrivatePublish::new(from, no_one, content);
        template.push_content = push;
        execute(global, limits, template, plan).await
    }
}

async fn execute<E>(
    global: &Global,
    limits: &[Limit],
    template: E,
    plan: Plan<'_>,
) -> Result<(), Failure>
where
    E: Recipients + Send + Sync + 'static,
    E::Response: PerRecipientIds,
{
    // Ctrl-C from here on stops the campaign cleanly instead of killing
    // the process.
    let stop = signals::Stop::install();
    let Connection { client, emulator } = connect_with(global, limits).await?;
    let mut builder = Campaign::builder(client, template).concurrency(plan.concurrency);
    if let Some(size) = plan.chunk_size {
        builder = builder.chunk_size(size);
    }
    let campaign = match plan.open {
        Open::CreateOrResume(recipients) => {
            builder
                .app_data(plan.app_data)
                .create_or_resume(plan.journal, RecipientSource::file(recipients))
                .await
        }
        Open::Resume => builder.resume(plan.journal).await,
    }
    .map_err(campaign_failure)?;
    let info = campaign.info().clone();
    let quota = limits::effective(E::QUOTA, limits);
    eprintln!(
        "campaign {} {}: {} recipients ({} repeated ids, sent to once), {} calls of up to {} \
         recipients to {}; quota {}",
        plan.journal.display(),
        if campaign.created() {
            "created"
        } else {
            "resumed"
        },
        info.recipients,
        info.duplicates,
        info.chunks,
        info.chunk_size,
        info.endpoint,
        if quota.is_empty() {
            "none".to_owned()
        } else {
            quota
                .iter()
                .map(limits::describe)
                .collect::<Vec<_>>()
                .join(" and ")
        },
    );
    let reporter = progress::Reporter::start(campaign.progress(), plan.progress_every);
    let result = campaign.run_until(stop.requested()).await;
    reporter.finish().await;
    let closed = campaign.close().await;
    drop(emulator);
    let summary = result.map_err(campaign_failure)?;
    closed.map_err(campaign_failure)?;
    conclude(global, plan.journal, &summary)
}

/// Prints the summary and how to go on; the exit code says how it ended.
fn conclude(global: &Global, journal: &Path, summary: &RunSummary) -> Result<(), Failure> {
    let counts = summary.counts;
    if global.json {
        print_json(&json!({
            "journal": journal.display().to_string(),
            "recipients": counts.recipients,
            "delivered": counts.delivered,
            "notSent": counts.not_sent,
            "unknown": counts.unknown,
            "pending": counts.pending + counts.in_flight,
            "stopped": summary.stopped,
            "calls": summary.calls,
            "foundUnknown": summary.found_unknown,
        }));
    } else {
        println!("{counts}");
    }
    if summary.found_unknown > 0 {
        eprintln!(
            "{} calls were found with an intent and no outcome (the last run stopped while \
             they were in flight): their recipients are unknown and were not sent again",
            summary.found_unknown
        );
    }
    let shown = shell_word(&journal.display().to_string());
    let report = format!("rongcloud campaign report --journal {shown} --format csv");
    if summary.stopped {
        return Err(Failure::new(
            Exit::Interrupted,
            format!(
                "stopped with {} recipients not sent yet; to go on:\n  \
                 rongcloud campaign resume --journal {shown}",
                counts.pending + counts.in_flight
            ),
        ));
    }
    if counts.unknown > 0 {
        return Err(Failure::new(
            Exit::Unknown,
            format!(
                "{} recipients are unknown: their calls may or may not have been processed, \
                 and are not sent again; the report lists them with their X-Request-IDs:\n  \
                 {report}",
                counts.unknown
            ),
        ));
    }
    if counts.not_sent > 0 {
        return Err(Failure::new(
            Exit::Refused,
            format!(
                "{} recipients were not sent to (the report says why):\n  {report}\n\
                 `rongcloud campaign resume --journal {shown}` tries again those refused for a \
                 passing reason",
                counts.not_sent
            ),
        ));
    }
    Ok(())
}

/// A path as a shell word, quoted when it needs to be.
fn shell_word(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c));
    if plain && !text.is_empty() {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// `campaign report`: from the journal only; nothing is sent.
fn report(global: &Global, args: &ReportArgs) -> Result<(), Failure> {
    let journal = Journal::open(&args.journal).map_err(campaign_failure)?;
    let stdout = std::io::stdout();
    let counts: Counts = match args.format {
        ReportFormat::Csv => journal
            .report()
            .and_then(|report| report.write_csv(stdout.lock()))
            .map_err(campaign_failure)?,
        ReportFormat::Json => journal
            .report()
            .and_then(|report| report.write_json(stdout.lock()))
            .map_err(campaign_failure)?,
        ReportFormat::Html => {
            let stored = Stored::read(journal.info().app_data.as_deref(), &args.journal).ok();
            let given = match (&stored, global.limits.is_empty()) {
                (Some(stored), true) => stored.limits.clone(),
                _ => global.limits.clone(),
            };
            let limits = limits::parse_all(&given)?;
            let quota = limits::effective(&journal.info().endpoint, &limits);
            let page = html::page(&journal, &quota).map_err(campaign_failure)?;
            use std::io::Write;
            let mut out = stdout.lock();
            out.write_all(page.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Failure::failed(format!("cannot write the report: {e}")))?;
            journal.counts().map_err(campaign_failure)?
        }
    };
    eprintln!("{counts}");
    Ok(())
}

/// A campaign error as the operator reads it, with its exit code: input
/// that cannot be used is a usage error (nothing was sent).
fn campaign_failure(error: CampaignError) -> Failure {
    // A report piped into `head`: the reader is gone, nothing to say.
    if let CampaignError::Report(io) = &error
        && io.kind() == std::io::ErrorKind::BrokenPipe
    {
        return Failure::failed("");
    }
    let exit = match &error {
        CampaignError::Input(_)
        | CampaignError::InvalidTemplate(_)
        | CampaignError::Encode(_)
        | CampaignError::AlreadyExists { .. }
        | CampaignError::NotFound { .. }
        | CampaignError::NotAJournal { .. }
        | CampaignError::UnsupportedVersion { .. }
        | CampaignError::Mismatch(_)
        | CampaignError::ImportIncomplete { .. } => Exit::Usage,
        _ => Exit::Failed,
    };
    let mut message = error.to_string();
    if exit == Exit::Usage {
        message.push_str("\n(nothing was sent)");
    }
    Failure::new(exit, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_only_when_needed() {
        assert_eq!(shell_word("/tmp/notice.journal"), "/tmp/notice.journal");
        assert_eq!(shell_word("my notice.journal"), "'my notice.journal'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
