//! States, counts and progress of a campaign.

use std::fmt;

/// Where a chunk is in its life (see the crate documentation for the
/// transitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChunkState {
    /// Not sent yet.
    Pending,
    /// Taken by a runner; its intent is not written, so its request has not
    /// left. After a crash it is pending again.
    Claimed,
    /// Its intent (with the `X-Request-ID`) is written and its request may
    /// be on the way. After a crash it is [`Unknown`](Self::Unknown).
    Sending,
    /// The server accepted the call; each recipient's message id is kept.
    Delivered,
    /// The call was not processed (invalid, refused, rejected, or never
    /// left); the reason is kept.
    NotSent,
    /// The call may or may not have been processed; it is never sent again
    /// unless an operator says so.
    Unknown,
}

impl ChunkState {
    /// The name stored in the journal.
    pub fn as_str(self) -> &'static str {
        match self {
            ChunkState::Pending => "pending",
            ChunkState::Claimed => "claimed",
            ChunkState::Sending => "sending",
            ChunkState::Delivered => "delivered",
            ChunkState::NotSent => "not_sent",
            ChunkState::Unknown => "unknown",
        }
    }

    /// The state with that stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "pending" => ChunkState::Pending,
            "claimed" => ChunkState::Claimed,
            "sending" => ChunkState::Sending,
            "delivered" => ChunkState::Delivered,
            "not_sent" => ChunkState::NotSent,
            "unknown" => ChunkState::Unknown,
            _ => return None,
        })
    }
}

impl fmt::Display for ChunkState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Recipients of a campaign by outcome.
///
/// `recipients == delivered + not_sent + unknown + pending + in_flight`.
/// Read from a [`Journal`](crate::Journal) (no runner), `in_flight` is 0:
/// a chunk a stopped runner had claimed counts as pending, one it was
/// sending as unknown, as the next resume will decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Counts {
    /// Distinct recipients in the campaign.
    pub recipients: u64,
    /// Recipients the message was delivered to.
    pub delivered: u64,
    /// Recipients whose call was not processed.
    pub not_sent: u64,
    /// Recipients whose call may or may not have been processed.
    pub unknown: u64,
    /// Recipients not sent to yet.
    pub pending: u64,
    /// Recipients of calls a runner has in hand now.
    pub in_flight: u64,
}

impl Counts {
    /// Recipients whose outcome is settled (delivered, not sent or unknown).
    pub fn done(&self) -> u64 {
        self.delivered + self.not_sent + self.unknown
    }

    /// Whether every recipient's outcome is settled.
    pub fn is_finished(&self) -> bool {
        self.done() == self.recipients
    }

    /// Whether every recipient got the message.
    pub fn is_complete(&self) -> bool {
        self.delivered == self.recipients
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} recipients: {} delivered, {} not sent, {} unknown, {} pending",
            self.recipients,
            self.delivered,
            self.not_sent,
            self.unknown,
            self.pending + self.in_flight
        )
    }
}

/// A point in a chunk's sending, reported to a hook set with
/// [`CampaignBuilder::on_step`](crate::CampaignBuilder::on_step).
///
/// The hook runs on the chunk's task right after the step, before the next
/// one; what is durable in the journal at each step is what a crash there
/// leaves behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Step {
    /// The chunk is claimed; its intent is not written yet (a crash here:
    /// the chunk is sent on resume).
    Claimed,
    /// The intent is durable; the request has not left yet (a crash here:
    /// unknown, although nothing was sent).
    IntentWritten,
    /// The answer (or the error) is in; the outcome is not written yet (a
    /// crash here: unknown, although the outcome was known for an instant).
    Answered,
    /// The outcome is durable.
    OutcomeWritten,
}

impl Step {
    /// A short name: `claimed`, `intent-written`, `answered`,
    /// `outcome-written`.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Claimed => "claimed",
            Step::IntentWritten => "intent-written",
            Step::Answered => "answered",
            Step::OutcomeWritten => "outcome-written",
        }
    }

    /// The step with that name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "claimed" => Step::Claimed,
            "intent-written" => Step::IntentWritten,
            "answered" => Step::Answered,
            "outcome-written" => Step::OutcomeWritten,
            _ => return None,
        })
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for state in [
            ChunkState::Pending,
            ChunkState::Claimed,
            ChunkState::Sending,
            ChunkState::Delivered,
            ChunkState::NotSent,
            ChunkState::Unknown,
        ] {
            assert_eq!(ChunkState::parse(state.as_str()), Some(state));
        }
        for step in [
            Step::Claimed,
            Step::IntentWritten,
            Step::Answered,
            Step::OutcomeWritten,
        ] {
            assert_eq!(Step::parse(step.as_str()), Some(step));
        }
        assert_eq!(ChunkState::parse("sent"), None);
    }

    #[test]
    fn counts_add_up() {
        let counts = Counts {
            recipients: 10,
            delivered: 5,
            not_sent: 2,
            unknown: 1,
            pending: 2,
            in_flight: 0,
        };
        assert_eq!(counts.done(), 8);
        assert!(!counts.is_finished());
        assert_eq!(
            counts.to_string(),
            "10 recipients: 5 delivered, 2 not sent, 1 unknown, 2 pending"
        );
    }
}
