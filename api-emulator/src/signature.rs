//! Request signing: `Signature = hex(SHA1(secret + nonce + timestamp))`.
//!
//! Rules from REFERENCE.md ("Request signing"): four headers `App-Key`, `Nonce`,
//! `Timestamp`, `Signature`, also accepted with an `RC-` prefix; the timestamp may be
//! in seconds or milliseconds; hex is compared case-insensitively; the nonce is at
//! most 18 characters. A failed check is HTTP 401 code 1004; an unknown key is 1001.

use http::HeaderMap;
use sha1::{Digest, Sha1};

use crate::rejection::{Checked, Rejection};

/// Longest nonce the provider accepts (REFERENCE.md: "at most 18 characters").
const MAX_NONCE_CHARS: usize = 18;

/// Computes the documented signature: lower-case hex SHA1 of `secret + nonce +
/// timestamp`. Handy for writing raw requests by hand in tests.
///
/// ```
/// // The test vector from the provider's documentation.
/// assert_eq!(
///     api_emulator::sign("Y1W2MeFwwwRxa0", "14314", "1408710653000"),
///     "30be0bbca9c9b2e27578701e9fda2358a814c88f"
/// );
/// ```
pub fn sign(secret: &str, nonce: &str, timestamp: &str) -> String {
    hex::encode(digest(secret, nonce, timestamp))
}

fn digest(secret: &str, nonce: &str, timestamp: &str) -> [u8; 20] {
    let mut h = Sha1::new();
    h.update(secret.as_bytes());
    h.update(nonce.as_bytes());
    h.update(timestamp.as_bytes());
    h.finalize().into()
}

/// The four signing headers of one request, borrowed from the header map.
#[derive(Debug)]
pub(crate) struct SigningHeaders<'a> {
    pub app_key: &'a str,
    nonce: &'a str,
    timestamp: &'a str,
    signature: &'a str,
}

/// Reads a signing header under its plain name or its `RC-` prefixed name (header
/// names are case-insensitive; `HeaderMap` lookups by `&str` normalize them).
fn header<'a>(
    headers: &'a HeaderMap,
    plain: &'static str,
    prefixed: &'static str,
) -> Checked<&'a str> {
    let value = headers
        .get(plain)
        .or_else(|| headers.get(prefixed))
        .ok_or_else(|| Rejection::bad_signature(format!("missing {plain} header")))?;
    let text = value
        .to_str()
        .map_err(|_| Rejection::bad_signature(format!("{plain} header is not visible ASCII")))?
        .trim();
    if text.is_empty() {
        return Err(Rejection::bad_signature(format!("{plain} header is empty")));
    }
    Ok(text)
}

impl<'a> SigningHeaders<'a> {
    /// Extracts the four headers; a missing one is a failed signature check (1004).
    pub fn extract(headers: &'a HeaderMap) -> Checked<Self> {
        Ok(Self {
            app_key: header(headers, "App-Key", "RC-App-Key")?,
            nonce: header(headers, "Nonce", "RC-Nonce")?,
            timestamp: header(headers, "Timestamp", "RC-Timestamp")?,
            signature: header(headers, "Signature", "RC-Signature")?,
        })
    }

    /// Checks the nonce, the timestamp and the signature against `secret`.
    pub fn verify(&self, secret: &str) -> Checked<()> {
        if self.nonce.chars().count() > MAX_NONCE_CHARS {
            return Err(Rejection::bad_signature(
                "Nonce is longer than 18 characters",
            ));
        }
        // Seconds (what every SDK sends) and milliseconds (what the docs describe)
        // are both plain decimal numbers; anything else cannot be a Unix time.
        if self.timestamp.len() > 16 || !self.timestamp.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Rejection::bad_signature(
                "Timestamp must be Unix time in seconds or milliseconds",
            ));
        }
        let mut given = [0u8; 20];
        // `decode_to_slice` accepts upper- and lower-case hex: the .NET SDK sends
        // upper case and production accepts it.
        if hex::decode_to_slice(self.signature, &mut given).is_err() {
            return Err(Rejection::bad_signature(
                "Signature must be 40 hexadecimal characters",
            ));
        }
        if given != digest(secret, self.nonce, self.timestamp) {
            return Err(Rejection::bad_signature(
                "Signature does not match SHA1(App Secret + Nonce + Timestamp)",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn documented_test_vector() {
        assert_eq!(
            sign("Y1W2MeFwwwRxa0", "14314", "1408710653000"),
            "30be0bbca9c9b2e27578701e9fda2358a814c88f"
        );
    }

    #[test]
    fn upper_case_and_prefixed_headers_verify() {
        let map = headers(&[
            ("rc-app-key", "k"),
            ("rc-nonce", "14314"),
            ("rc-timestamp", "1408710653000"),
            ("rc-signature", "30BE0BBCA9C9B2E27578701E9FDA2358A814C88F"),
        ]);
        let h = SigningHeaders::extract(&map).unwrap();
        assert_eq!(h.app_key, "k");
        h.verify("Y1W2MeFwwwRxa0").unwrap();
    }

    #[test]
    fn long_nonce_and_bad_timestamp_fail() {
        let sig = sign("s", "1234567890123456789", "1");
        let map = headers(&[
            ("app-key", "k"),
            ("nonce", "1234567890123456789"),
            ("timestamp", "1"),
            ("signature", &sig),
        ]);
        let err = SigningHeaders::extract(&map)
            .unwrap()
            .verify("s")
            .unwrap_err();
        assert_eq!(err.code, 1004);
        let sig = sign("s", "1", "12a");
        let map = headers(&[
            ("app-key", "k"),
            ("nonce", "1"),
            ("timestamp", "12a"),
            ("signature", &sig),
        ]);
        let err = SigningHeaders::extract(&map)
            .unwrap()
            .verify("s")
            .unwrap_err();
        assert_eq!(err.code, 1004);
    }
}
