//! The signing parameters of a callback's query string, under each of their
//! spellings, with duplicates and mixed spellings refused.

use std::fmt;

use super::error::VerifyError;

/// A query parameter the verifier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Param {
    /// `nonce`.
    Nonce,
    /// `signTimestamp`, in milliseconds (the current spelling).
    SignTimestamp,
    /// `timestamp`, in milliseconds (older deployments).
    Timestamp,
    /// `signature`.
    Signature,
    /// `rc-nonce` (the oldest spelling).
    RcNonce,
    /// `rc-timestamp`, in **seconds** (the oldest spelling).
    RcTimestamp,
    /// `rc-signature` (the oldest spelling).
    RcSignature,
    /// `appKey`, which some deployments add.
    AppKey,
}

impl Param {
    // Indexes into the slots `collect` fills.
    const ALL: [Param; 8] = [
        Param::Nonce,
        Param::SignTimestamp,
        Param::Timestamp,
        Param::Signature,
        Param::RcNonce,
        Param::RcTimestamp,
        Param::RcSignature,
        Param::AppKey,
    ];

    /// The parameter's name in the query string.
    ///
    /// ```
    /// use api_core::callback::Param;
    ///
    /// assert_eq!(Param::SignTimestamp.as_str(), "signTimestamp");
    /// assert_eq!(Param::RcSignature.as_str(), "rc-signature");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Param::Nonce => "nonce",
            Param::SignTimestamp => "signTimestamp",
            Param::Timestamp => "timestamp",
            Param::Signature => "signature",
            Param::RcNonce => "rc-nonce",
            Param::RcTimestamp => "rc-timestamp",
            Param::RcSignature => "rc-signature",
            Param::AppKey => "appKey",
        }
    }

    fn from_name(name: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|param| param.as_str() == name)
    }

    const fn index(self) -> usize {
        self as usize
    }

    const fn is_rc(self) -> bool {
        matches!(
            self,
            Param::RcNonce | Param::RcTimestamp | Param::RcSignature
        )
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The spelling a callback was signed with: which parameters carried the
/// nonce, the timestamp and the signature.
///
/// The signature is computed the same way under every spelling; only the
/// names and, for [`RcPrefixed`](Spelling::RcPrefixed), the timestamp's
/// unit differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Spelling {
    /// `nonce`, `signTimestamp` (milliseconds), `signature`: the current
    /// rule of the provider's callback-signature page.
    SignTimestamp,
    /// `nonce`, `timestamp` (milliseconds), `signature`: what older
    /// deployments send (RongCloud's own demo servers read `timestamp`).
    Timestamp,
    /// `rc-nonce`, `rc-timestamp` (**seconds**), `rc-signature`: an older
    /// version of the signature page.
    RcPrefixed,
}

impl Spelling {
    /// The parameter that carries the timestamp.
    pub const fn timestamp_param(self) -> Param {
        match self {
            Spelling::SignTimestamp => Param::SignTimestamp,
            Spelling::Timestamp => Param::Timestamp,
            Spelling::RcPrefixed => Param::RcTimestamp,
        }
    }

    /// The parameter that carries the nonce.
    pub const fn nonce_param(self) -> Param {
        match self {
            Spelling::RcPrefixed => Param::RcNonce,
            _ => Param::Nonce,
        }
    }

    /// The parameter that carries the signature.
    pub const fn signature_param(self) -> Param {
        match self {
            Spelling::RcPrefixed => Param::RcSignature,
            _ => Param::Signature,
        }
    }

    /// Milliseconds per unit of the timestamp: 1, or 1000 for seconds.
    pub(crate) const fn millis_per_unit(self) -> u64 {
        match self {
            Spelling::RcPrefixed => 1000,
            _ => 1,
        }
    }
}

/// The values of the parameters the verifier reads, each seen at most once.
pub(crate) struct Slots<V>([Option<V>; 8]);

/// The signing parameters of one callback, under one spelling.
#[derive(Debug)]
pub(crate) struct SigningParams<'a> {
    pub(crate) spelling: Spelling,
    pub(crate) nonce: &'a str,
    pub(crate) timestamp: &'a str,
    pub(crate) signature: &'a str,
    pub(crate) app_key: Option<&'a str>,
}

/// Picks the parameters the verifier reads out of decoded query pairs.
///
/// A parameter given twice is refused even when both values are equal: a
/// proxy or a framework that keeps the first value and another that keeps
/// the last would otherwise read two different callbacks from one URL.
pub(crate) fn collect<I, K, V>(pairs: I) -> Result<Slots<V>, VerifyError>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut slots: [Option<V>; 8] = Default::default();
    for (name, value) in pairs {
        if let Some(param) = Param::from_name(name.as_ref()) {
            let slot = &mut slots[param.index()];
            if slot.is_some() {
                return Err(VerifyError::Duplicate(param));
            }
            *slot = Some(value);
        }
    }
    Ok(Slots(slots))
}

impl<V: AsRef<str>> Slots<V> {
    /// The value of `param`, `None` when absent or empty.
    fn get(&self, param: Param) -> Option<&str> {
        self.0[param.index()]
            .as_ref()
            .map(AsRef::as_ref)
            .filter(|value| !value.is_empty())
    }

    fn require(&self, param: Param) -> Result<&str, VerifyError> {
        self.get(param).ok_or(VerifyError::Missing(param))
    }

    /// Decides the spelling and reads the three signing values under it.
    pub(crate) fn resolve(&self) -> Result<SigningParams<'_>, VerifyError> {
        let present = |rc: bool| {
            Param::ALL
                .into_iter()
                .filter(|param| *param != Param::AppKey && param.is_rc() == rc)
                .find(|param| self.get(*param).is_some())
        };
        let spelling = match (present(false), present(true)) {
            (Some(plain), Some(rc)) => return Err(VerifyError::MixedSpellings { plain, rc }),
            (None, None) => return Err(VerifyError::Unsigned),
            (None, Some(_)) => Spelling::RcPrefixed,
            (Some(_), None) => match (self.get(Param::SignTimestamp), self.get(Param::Timestamp)) {
                // Both names with one value is no ambiguity: the value
                // signed is the same whichever name is read.
                (Some(current), Some(older)) if current != older => {
                    return Err(VerifyError::ConflictingTimestamps);
                }
                (Some(_), _) => Spelling::SignTimestamp,
                (None, Some(_)) => Spelling::Timestamp,
                (None, None) => return Err(VerifyError::Missing(Param::SignTimestamp)),
            },
        };
        Ok(SigningParams {
            spelling,
            nonce: self.require(spelling.nonce_param())?,
            timestamp: self.require(spelling.timestamp_param())?,
            signature: self.require(spelling.signature_param())?,
            app_key: self.get(Param::AppKey),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(query: &str) -> Result<(Spelling, String, String, String), VerifyError> {
        let slots = collect(form_urlencoded::parse(query.as_bytes()))?;
        let params = slots.resolve()?;
        Ok((
            params.spelling,
            params.nonce.to_owned(),
            params.timestamp.to_owned(),
            params.signature.to_owned(),
        ))
    }

    #[test]
    fn names_round_trip() {
        for param in Param::ALL {
            assert_eq!(Param::from_name(param.as_str()), Some(param));
            assert_eq!(Param::ALL[param.index()], param);
        }
        assert_eq!(Param::from_name("Nonce"), None, "names are case-sensitive");
    }

    #[test]
    fn each_spelling_is_recognised() {
        assert_eq!(
            resolve("nonce=n&signTimestamp=1&signature=s").unwrap(),
            (Spelling::SignTimestamp, "n".into(), "1".into(), "s".into())
        );
        assert_eq!(
            resolve("timestamp=2&signature=s&nonce=n").unwrap(),
            (Spelling::Timestamp, "n".into(), "2".into(), "s".into())
        );
        assert_eq!(
            resolve("rc-signature=s&rc-timestamp=3&rc-nonce=n").unwrap(),
            (Spelling::RcPrefixed, "n".into(), "3".into(), "s".into())
        );
    }

    #[test]
    fn both_millisecond_names_with_one_value_read_as_the_current_spelling() {
        let (spelling, _, timestamp, _) =
            resolve("nonce=n&timestamp=5&signTimestamp=5&signature=s").unwrap();
        assert_eq!(
            (spelling, timestamp.as_str()),
            (Spelling::SignTimestamp, "5")
        );
        assert!(matches!(
            resolve("nonce=n&timestamp=5&signTimestamp=6&signature=s"),
            Err(VerifyError::ConflictingTimestamps)
        ));
    }

    #[test]
    fn other_parameters_are_ignored_and_empty_values_are_missing() {
        assert!(resolve("route=msg&nonce=n&signTimestamp=1&signature=s&x=").is_ok());
        assert!(matches!(
            resolve("nonce=&signTimestamp=1&signature=s"),
            Err(VerifyError::Missing(Param::Nonce))
        ));
    }
}
