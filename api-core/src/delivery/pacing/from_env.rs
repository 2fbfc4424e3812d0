//! The quota store named by the environment: `RONGCLOUD_QUOTA_STORE` and
//! `RONGCLOUD_FLEET_SIZE`, read by
//! [`Client::from_env`](crate::Client::from_env).

use std::sync::Arc;

use super::store::QuotaStore;
use crate::error::ConfigError;

/// The variable naming the store: unset, empty or `local` for the
/// in-process store, `redis://host:port` for Redis.
pub(crate) const QUOTA_STORE: &str = "RONGCLOUD_QUOTA_STORE";
/// The number of app servers sharing the App Key (required with Redis).
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) const FLEET_SIZE: &str = "RONGCLOUD_FLEET_SIZE";

/// The store the variables read through `lookup` name for `app_key`:
/// `None` for the default (in-process) one.
pub(crate) fn quota_store_from_env(
    lookup: &dyn Fn(&str) -> Option<String>,
    app_key: &str,
) -> Result<Option<Arc<dyn QuotaStore>>, ConfigError> {
    let Some(value) = lookup(QUOTA_STORE).filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let value = value.trim();
    if value.eq_ignore_ascii_case("local") {
        return Ok(None);
    }
    let scheme = value.split_once("://").map(|(scheme, _)| scheme);
    if !matches!(scheme, Some("redis" | "rediss")) {
        return Err(ConfigError::new(format!(
            "{QUOTA_STORE} must be `local` or a redis://host:port URL, got {}",
            redacted(value)
        )));
    }
    redis_store(lookup, value, app_key).map(Some)
}

#[cfg(feature = "redis")]
fn redis_store(
    lookup: &dyn Fn(&str) -> Option<String>,
    url: &str,
    app_key: &str,
) -> Result<Arc<dyn QuotaStore>, ConfigError> {
    let fleet_size = lookup(FLEET_SIZE)
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| {
            ConfigError::new(format!(
                "{FLEET_SIZE} must be set with a Redis {QUOTA_STORE}: the number of app servers \
             sharing the App Key, each of which paces itself at its share while Redis is \
             unreachable"
            ))
        })?;
    let fleet_size: u32 = fleet_size
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            ConfigError::new(format!(
                "{FLEET_SIZE} must be a positive integer, got {fleet_size:?}"
            ))
        })?;
    let store = super::redis::RedisQuotaStore::builder(url, app_key)
        .fleet_size(fleet_size)
        .build()?;
    Ok(Arc::new(store))
}

#[cfg(not(feature = "redis"))]
fn redis_store(
    _lookup: &dyn Fn(&str) -> Option<String>,
    url: &str,
    _app_key: &str,
) -> Result<Arc<dyn QuotaStore>, ConfigError> {
    Err(ConfigError::new(format!(
        "{QUOTA_STORE} names a Redis quota store ({}), but api-core was built without its \
         `redis` feature: enable it (api-core = {{ features = [\"redis\"] }})",
        redacted(url)
    )))
}

/// `value` with the password of a URL replaced by `***`; a value that is
/// not a URL is not repeated (it might hold a secret).
pub(crate) fn redacted(value: &str) -> String {
    match url::Url::parse(value) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => value.to_owned(),
        Err(_) => "(a value that is not a URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<Option<Arc<dyn QuotaStore>>, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        quota_store_from_env(&|name| vars.get(name).cloned(), "key")
    }

    #[test]
    fn unset_empty_or_local_is_the_in_process_store() {
        assert!(from(&[]).unwrap().is_none());
        assert!(from(&[(QUOTA_STORE, " ")]).unwrap().is_none());
        assert!(from(&[(QUOTA_STORE, "local")]).unwrap().is_none());
    }

    #[test]
    fn a_malformed_value_is_an_error_that_repeats_no_password() {
        for value in [
            "memcached://h:1",
            "127.0.0.1:6379",
            "redis:/h",
            "http://:pw@h",
        ] {
            let error = from(&[(QUOTA_STORE, value)])
                .err()
                .expect(value)
                .to_string();
            assert!(error.contains(QUOTA_STORE), "{error}");
            assert!(!error.contains("pw@"), "{error}");
        }
    }

    #[cfg(not(feature = "redis"))]
    #[test]
    fn without_the_feature_a_redis_url_says_to_enable_it() {
        let error = from(&[
            (QUOTA_STORE, "redis://:pw@127.0.0.1:6379"),
            (FLEET_SIZE, "3"),
        ])
        .err()
        .unwrap()
        .to_string();
        assert!(error.contains("`redis` feature"), "{error}");
        assert!(!error.contains("pw@"), "{error}");
    }

    #[cfg(feature = "redis")]
    #[test]
    fn a_redis_url_needs_a_positive_fleet_size() {
        let url = (QUOTA_STORE, "redis://:pw@127.0.0.1:6379");
        let missing = from(&[url]).err().unwrap().to_string();
        assert!(missing.contains(FLEET_SIZE), "{missing}");
        for bad in ["0", "three", "-1"] {
            let error = from(&[url, (FLEET_SIZE, bad)]).err().unwrap().to_string();
            assert!(error.contains("positive integer"), "{error}");
        }
        assert!(from(&[url, (FLEET_SIZE, "3")]).unwrap().is_some());
        let tls = from(&[(QUOTA_STORE, "rediss://:pw@h:1"), (FLEET_SIZE, "3")])
            .err()
            .unwrap()
            .to_string();
        assert!(tls.contains("TLS") && !tls.contains("pw@"), "{tls}");
    }
}
