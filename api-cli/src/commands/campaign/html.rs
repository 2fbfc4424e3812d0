//! `campaign report --format html`: one self-contained page with the counts
//! and a chart of recipients settled per minute against the quota (inline
//! SVG, no script, nothing fetched).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use api_campaign::{CampaignError, ChunkState, ChunkSummary, Journal};
use api_core::{RateLimit, RateUnit};

use crate::limits;

/// Beyond this many minutes between the first and the last call, the chart
/// shows only the minutes in which something was settled.
const MAX_CONTIGUOUS_MINUTES: u64 = 720;

/// Recipients settled in one minute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Minute {
    /// Delivered.
    pub delivered: u64,
    /// Not sent.
    pub not_sent: u64,
    /// Unknown.
    pub unknown: u64,
}

impl Minute {
    fn total(&self) -> u64 {
        self.delivered + self.not_sent + self.unknown
    }
}

/// Recipients settled per minute (minutes since the epoch), from each
/// settled chunk's size and the time its outcome was written (its intent's,
/// for a chunk whose outcome never was).
pub fn per_minute(chunks: &[ChunkSummary]) -> BTreeMap<u64, Minute> {
    let mut minutes: BTreeMap<u64, Minute> = BTreeMap::new();
    for chunk in chunks {
        let Some(at) = chunk.finished_at.or(chunk.intent_at) else {
            continue;
        };
        let minute = at.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() / 60;
        let entry = minutes.entry(minute).or_default();
        match chunk.state {
            ChunkState::Delivered => entry.delivered += chunk.size,
            ChunkState::NotSent => entry.not_sent += chunk.size,
            ChunkState::Unknown => entry.unknown += chunk.size,
            _ => {}
        }
    }
    minutes.retain(|_, m| m.total() > 0);
    minutes
}

/// The quota as recipients a minute: the tightest of the limits counting
/// recipients, spread over a minute (`None` when no limit counts them).
pub fn per_minute_quota(quota: &[RateLimit]) -> Option<f64> {
    quota
        .iter()
        .filter(|limit| limit.unit == RateUnit::Recipients && !limit.window.is_zero())
        .map(|limit| f64::from(limit.amount) * 60.0 / limit.window.as_secs_f64())
        .min_by(f64::total_cmp)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn clock(minute: u64) -> String {
    let time = UNIX_EPOCH + Duration::from_secs(minute * 60);
    // 2026-12-04T05:21:00Z → 05:21
    humantime::format_rfc3339_seconds(time).to_string()[11..16].to_owned()
}

fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// The page.
pub fn page(journal: &Journal, quota: &[RateLimit]) -> Result<String, CampaignError> {
    let info = journal.info();
    let counts = journal.counts()?;
    let chunks = journal.chunks(None)?;
    let minutes = per_minute(&chunks);
    let quota_line = per_minute_quota(quota);
    let quota_text = if quota.is_empty() {
        "none".to_owned()
    } else {
        quota
            .iter()
            .map(limits::describe)
            .collect::<Vec<_>>()
            .join(" and ")
    };

    let mut html = String::new();
    let title = format!("Campaign {}", journal.path().display());
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<style>\n\
         body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}\n\
         table{{border-collapse:collapse}}td,th{{padding:.2em .8em;text-align:left}}\n\
         .n{{text-align:right;font-variant-numeric:tabular-nums}}\n\
         .delivered{{color:#2e7d32}}.not_sent{{color:#ef6c00}}.unknown{{color:#c62828}}\n\
         .pending{{color:#757575}}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n",
        title = escape(&title)
    );
    let _ = writeln!(
        html,
        "<p>{} to {} recipients, created {}, {} calls of up to {} recipients; quota {}.</p>",
        escape(&info.endpoint),
        info.recipients,
        rfc3339(info.created_at),
        info.chunks,
        info.chunk_size,
        escape(&quota_text)
    );
    html.push_str("<table>\n");
    for (class, label, n) in [
        ("delivered", "delivered", counts.delivered),
        ("not_sent", "not sent", counts.not_sent),
        ("unknown", "unknown", counts.unknown),
        ("pending", "pending", counts.pending),
    ] {
        let _ = writeln!(
            html,
            "<tr class=\"{class}\"><th>{label}</th><td class=\"n\">{n}</td></tr>"
        );
    }
    let _ = writeln!(
        html,
        "<tr><th>recipients</th><td class=\"n\">{}</td></tr>\n</table>",
        counts.recipients
    );
    html.push_str("<h2>Recipients per minute</h2>\n");
    html.push_str(&chart(&minutes, quota_line));

    let troubled: Vec<&ChunkSummary> = chunks
        .iter()
        .filter(|c| matches!(c.state, ChunkState::Unknown | ChunkState::NotSent))
        .collect();
    if !troubled.is_empty() {
        html.push_str(
            "<h2>Calls not delivered</h2>\n<p>Unknown calls may or may not have been processed: \
             give their X-Request-IDs to the provider's support before sending them again.</p>\n\
             <table>\n<tr><th>call</th><th>recipients</th><th>outcome</th><th>X-Request-ID</th>\
             <th>reason</th></tr>\n",
        );
        for chunk in troubled {
            let _ = writeln!(
                html,
                "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{state}\">{state}</td>\
                 <td>{}</td><td>{}</td></tr>",
                chunk.seq,
                chunk.size,
                escape(chunk.request_id.as_deref().unwrap_or("")),
                escape(chunk.reason.as_deref().unwrap_or("")),
                state = chunk.state
            );
        }
        html.push_str("</table>\n");
    }
    html.push_str("</body>\n</html>\n");
    Ok(html)
}

/// The chart: stacked bars per minute and a dashed quota line.
pub fn chart(minutes: &BTreeMap<u64, Minute>, quota: Option<f64>) -> String {
    let (Some(&first), Some(&last)) = (minutes.keys().next(), minutes.keys().next_back()) else {
        return "<p>Nothing has been sent yet.</p>\n".to_owned();
    };
    let slots: Vec<(u64, Minute)> = if last - first < MAX_CONTIGUOUS_MINUTES {
        (first..=last)
            .map(|m| (m, minutes.get(&m).copied().unwrap_or_default()))
            .collect()
    } else {
        minutes.iter().map(|(m, v)| (*m, *v)).collect()
    };
    let peak = slots.iter().map(|(_, m)| m.total()).max().unwrap_or(0) as f64;
    let top = (peak.max(quota.unwrap_or(0.0)) * 1.1).max(1.0);
    let (width, height) = (800.0_f64, 300.0_f64);
    let (left, right, upper, lower) = (70.0, 20.0, 20.0, 40.0);
    let plot_w = width - left - right;
    let plot_h = height - upper - lower;
    let slot_w = plot_w / slots.len() as f64;
    let bar_w = (slot_w * 0.8).clamp(1.0, 48.0);
    let y = |value: f64| upper + plot_h - value / top * plot_h;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"recipients per minute\">"
    );
    // Axes.
    let _ = writeln!(
        svg,
        "<line x1=\"{left}\" y1=\"{upper}\" x2=\"{left}\" y2=\"{base}\" stroke=\"#444\"/>\
         <line x1=\"{left}\" y1=\"{base}\" x2=\"{end}\" y2=\"{base}\" stroke=\"#444\"/>",
        base = upper + plot_h,
        end = left + plot_w
    );
    for value in [0.0, top / 2.0, top] {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{:.0}</text>",
            left - 6.0,
            y(value) + 4.0,
            value
        );
    }
    for (i, (minute, counts)) in slots.iter().enumerate() {
        let x = left + i as f64 * slot_w + (slot_w - bar_w) / 2.0;
        let mut base = 0.0;
        for (value, color, label) in [
            (counts.delivered, "#2e7d32", "delivered"),
            (counts.not_sent, "#ef6c00", "not sent"),
            (counts.unknown, "#c62828", "unknown"),
        ] {
            if value == 0 {
                continue;
            }
            let value = value as f64;
            let _ = writeln!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\" \
                 fill=\"{color}\"><title>{} UTC: {value} {label}</title></rect>",
                y(base + value),
                value / top * plot_h,
                clock(*minute)
            );
            base += value;
        }
    }
    // Time labels: the first, the last, and a few between.
    let step = (slots.len() / 6).max(1);
    for (i, (minute, _)) in slots.iter().enumerate() {
        if i % step == 0 || i + 1 == slots.len() {
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
                left + (i as f64 + 0.5) * slot_w,
                upper + plot_h + 16.0,
                clock(*minute)
            );
        }
    }
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">minute (UTC)</text>",
        left + plot_w / 2.0,
        height - 6.0
    );
    // Legend.
    for (i, (color, label)) in [
        ("#2e7d32", "delivered"),
        ("#ef6c00", "not sent"),
        ("#c62828", "unknown"),
    ]
    .into_iter()
    .enumerate()
    {
        let x = left + 10.0 + i as f64 * 90.0;
        let _ = writeln!(
            svg,
            "<rect x=\"{x}\" y=\"6\" width=\"10\" height=\"10\" fill=\"{color}\"/>\
             <text x=\"{}\" y=\"15\" font-size=\"11\">{label}</text>",
            x + 14.0
        );
    }
    if let Some(quota) = quota {
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" y1=\"{q:.1}\" x2=\"{end}\" y2=\"{q:.1}\" stroke=\"#1565c0\" \
             stroke-dasharray=\"6 4\" stroke-width=\"2\"/>\
             <text x=\"{end}\" y=\"{t:.1}\" font-size=\"11\" text-anchor=\"end\" \
             fill=\"#1565c0\">quota: {quota:.0} recipients a minute</text>",
            q = y(quota),
            t = y(quota) - 5.0,
            end = left + plot_w
        );
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn quota_per_minute_is_the_tightest_recipient_limit() {
        let quota = [
            RateLimit::recipients(6000, Duration::from_secs(60)),
            RateLimit::recipients(50, Duration::from_secs(1)),
            RateLimit::calls(1, Duration::from_secs(1)),
        ];
        assert_eq!(per_minute_quota(&quota), Some(3000.0));
        assert_eq!(per_minute_quota(&quota[2..]), None);
    }

    #[test]
    fn chart_has_a_bar_per_minute_and_the_quota_line() {
        let mut minutes = BTreeMap::new();
        minutes.insert(
            100,
            Minute {
                delivered: 30,
                not_sent: 0,
                unknown: 10,
            },
        );
        minutes.insert(
            102,
            Minute {
                delivered: 60,
                ..Minute::default()
            },
        );
        let svg = chart(&minutes, Some(60.0));
        // Minutes 100, 101 (empty) and 102: three bars, and the legend's
        // three squares.
        assert_eq!(svg.matches("</rect>").count(), 3);
        assert_eq!(svg.matches("<rect").count(), 6);
        assert!(svg.contains("01:40 UTC: 30 delivered"), "{svg}");
        assert!(svg.contains("01:40 UTC: 10 unknown"), "{svg}");
        assert!(svg.contains("quota: 60 recipients a minute"), "{svg}");
        assert!(svg.contains(">01:41<"), "{svg}");
        assert!(!svg.contains("<script"));
        assert_eq!(escape("<a & 'b'>"), "&lt;a &amp; &#39;b&#39;&gt;");
    }
}
