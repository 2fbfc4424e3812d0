//! `--limit QUOTA=AMOUNT/DURATION`: overrides of documented quotas, checked
//! against the quotas of the calls this tool makes.

use std::time::Duration;

use api_core::{Endpoint, Pacing, RateLimit, RateUnit};
use api_endpoints::{
    ChatroomPublish, GroupCreate, GroupDismiss, GroupJoin, GroupMemberQuery, GroupPublish,
    GroupQuit, PrivatePublish, SystemPublish, UserBlock, UserInfo, UserRegister, UserUnblock,
};

use crate::content::Content;
use crate::exit::Failure;

/// A quota this tool's calls are paced under: its key and documented limits.
#[derive(Debug, Clone, Copy)]
pub struct Quota {
    /// The quota's key (the endpoint's path).
    pub key: &'static str,
    /// The documented limits.
    pub documented: &'static [RateLimit],
}

fn quota<E: Endpoint>() -> Quota {
    Quota {
        key: E::QUOTA,
        documented: E::RATE_LIMITS,
    }
}

/// Every quota a command of this tool may use.
pub fn known() -> Vec<Quota> {
    vec![
        quota::<PrivatePublish<Content>>(),
        quota::<SystemPublish<Content>>(),
        quota::<GroupPublish<Content>>(),
        quota::<ChatroomPublish<Content>>(),
        quota::<UserRegister>(),
        quota::<UserInfo>(),
        quota::<UserBlock>(),
        quota::<UserUnblock>(),
        quota::<GroupCreate>(),
        quota::<GroupJoin>(),
        quota::<GroupQuit>(),
        quota::<GroupDismiss>(),
        quota::<GroupMemberQuery>(),
    ]
}

/// One parsed `--limit`.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// The quota's key.
    pub quota: String,
    /// The new limit, counting what the documented one counts.
    pub limit: RateLimit,
}

/// Parses every `--limit`; an unknown quota or a malformed value is a usage
/// error naming the value.
pub fn parse_all(values: &[String]) -> Result<Vec<Limit>, Failure> {
    values.iter().map(|value| parse(value)).collect()
}

/// Parses one `QUOTA=AMOUNT/DURATION`.
pub fn parse(value: &str) -> Result<Limit, Failure> {
    let bad = |why: &str| {
        Failure::usage(format!(
            "--limit {value:?}: {why} (expected QUOTA=AMOUNT/DURATION, e.g. \
             /message/private/publish.json=6000/1m)"
        ))
    };
    let (quota, rate) = value.split_once('=').ok_or_else(|| bad("no `=`"))?;
    let (amount, window) = rate.split_once('/').ok_or_else(|| bad("no `/`"))?;
    let known = known();
    let Some(found) = known.iter().find(|q| q.key == quota.trim()) else {
        let keys: Vec<&str> = known.iter().map(|q| q.key).collect();
        return Err(Failure::usage(format!(
            "--limit {value:?}: unknown quota {:?}; the quotas of this tool's calls are: {}",
            quota.trim(),
            keys.join(", ")
        )));
    };
    let amount: u32 = amount
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| bad("AMOUNT must be a positive integer"))?;
    let window: Duration =
        humantime::parse_duration(window.trim()).map_err(|e| bad(&format!("DURATION: {e}")))?;
    if window.is_zero() {
        return Err(bad("DURATION must be longer than 0"));
    }
    // The override counts what the documented limit counts (recipients for
    // a publish, calls elsewhere).
    let unit = found
        .documented
        .first()
        .map(|limit| limit.unit)
        .unwrap_or(RateUnit::Calls);
    Ok(Limit {
        quota: found.key.to_owned(),
        limit: RateLimit {
            amount,
            window,
            unit,
        },
    })
}

/// The client's pacing: documented limits, with every quota named by a
/// `--limit` replaced by all the `--limit`s naming it.
pub fn pacing(limits: &[Limit]) -> Pacing {
    let mut pacing = Pacing::documented();
    let mut keys: Vec<&str> = limits.iter().map(|l| l.quota.as_str()).collect();
    keys.dedup();
    for key in keys {
        let of_key: Vec<RateLimit> = limits
            .iter()
            .filter(|l| l.quota == key)
            .map(|l| l.limit)
            .collect();
        pacing = pacing.limits(key.to_owned(), of_key);
    }
    pacing
}

/// The limits that apply to `quota`: the overrides, else the documented
/// ones.
pub fn effective(quota: &str, limits: &[Limit]) -> Vec<RateLimit> {
    let overridden: Vec<RateLimit> = limits
        .iter()
        .filter(|l| l.quota == quota)
        .map(|l| l.limit)
        .collect();
    if !overridden.is_empty() {
        return overridden;
    }
    known()
        .into_iter()
        .find(|q| q.key == quota)
        .map(|q| q.documented.to_vec())
        .unwrap_or_default()
}

/// `6000 recipients / 1m` for people.
pub fn describe(limit: &RateLimit) -> String {
    let unit = match limit.unit {
        RateUnit::Calls => "calls".to_owned(),
        RateUnit::Recipients => "recipients".to_owned(),
        RateUnit::Items(field) => format!("{} values", field.wire_name),
    };
    format!(
        "{} {unit} / {}",
        limit.amount,
        humantime::format_duration(limit.window)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_limit_in_the_documented_unit() {
        let limit = parse("/message/private/publish.json=6000/6s").unwrap();
        assert_eq!(limit.quota, "/message/private/publish.json");
        assert_eq!(limit.limit.amount, 6000);
        assert_eq!(limit.limit.window, Duration::from_secs(6));
        assert_eq!(limit.limit.unit, RateUnit::Recipients);
        assert_eq!(describe(&limit.limit), "6000 recipients / 6s");
    }

    #[test]
    fn refuses_unknown_quotas_and_malformed_values() {
        for (value, says) in [
            ("/push.json=1/1s", "unknown quota \"/push.json\""),
            ("/message/private/publish.json", "no `=`"),
            ("/message/private/publish.json=10", "no `/`"),
            ("/message/private/publish.json=0/1s", "AMOUNT"),
            ("/message/private/publish.json=ten/1s", "AMOUNT"),
            ("/message/private/publish.json=10/soon", "DURATION"),
            ("/message/private/publish.json=10/0s", "longer than 0"),
        ] {
            let failure = parse(value).unwrap_err();
            assert_eq!(failure.exit, crate::exit::Exit::Usage);
            assert!(
                failure.message.contains(says),
                "{value}: {}",
                failure.message
            );
        }
    }

    #[test]
    fn overrides_replace_the_documented_limits_of_their_quota_only() {
        let limits = parse_all(&[
            "/message/system/publish.json=5/1s".into(),
            "/message/system/publish.json=100/1m".into(),
        ])
        .unwrap();
        assert_eq!(effective("/message/system/publish.json", &limits).len(), 2);
        assert_eq!(
            effective("/message/private/publish.json", &limits),
            PrivatePublish::<Content>::RATE_LIMITS.to_vec()
        );
        let pacing = pacing(&limits);
        assert_eq!(
            pacing
                .limits_for(
                    "/message/system/publish.json",
                    SystemPublish::<Content>::RATE_LIMITS
                )
                .len(),
            2
        );
    }
}
