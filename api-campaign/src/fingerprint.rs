//! What identifies a campaign: its endpoint, its template and its
//! recipients, each hashed, so a journal is never resumed with other input.

use std::path::Path;

use api_core::{EncodeError, Recipients};
use sha2::{Digest, Sha256};

use crate::error::{Mismatch, MismatchPart};

/// The parts of a campaign that a resume must find unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    pub(crate) endpoint: String,
    pub(crate) template_sha256: String,
    pub(crate) recipients_sha256: Option<String>,
    pub(crate) chunk_size: usize,
}

/// The template's body without recipients: what every chunk's call shares.
pub(crate) fn template_body<E: Recipients>(template: &E) -> Result<Vec<u8>, EncodeError> {
    template.with_recipients(&[]).encode_body()
}

/// SHA-256 in lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The hash of a recipient list, fed one id at a time as it is streamed.
#[derive(Default)]
pub(crate) struct RecipientHasher(Sha256);

impl RecipientHasher {
    /// Adds the next id (every id ends with a newline, so `ab`,`c` and
    /// `a`,`bc` differ).
    pub(crate) fn push(&mut self, id: &str) {
        self.0.update(id.as_bytes());
        self.0.update(b"\n");
    }

    pub(crate) fn finish(self) -> String {
        hex::encode(self.0.finalize())
    }
}

impl Fingerprint {
    /// One hash of all parts, as shown to operators.
    pub(crate) fn combined(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.endpoint.as_bytes());
        hasher.update([0]);
        hasher.update(self.template_sha256.as_bytes());
        hasher.update([0]);
        hasher.update(
            self.recipients_sha256
                .as_deref()
                .unwrap_or_default()
                .as_bytes(),
        );
        hasher.update([0]);
        hasher.update(self.chunk_size.to_string().as_bytes());
        hex::encode(hasher.finalize())
    }

    /// Checks `given` against the journal's fingerprint `self`; recipients
    /// are compared only when `given` has them (a resume that does not read
    /// the source again takes the journal's).
    pub(crate) fn check(&self, given: &Fingerprint, path: &Path) -> Result<(), Mismatch> {
        let mismatch = |part, journal: &str, given: &str| Mismatch {
            path: path.to_owned(),
            part,
            journal: journal.to_owned(),
            given: given.to_owned(),
        };
        if self.endpoint != given.endpoint {
            return Err(mismatch(
                MismatchPart::Endpoint,
                &self.endpoint,
                &given.endpoint,
            ));
        }
        if self.template_sha256 != given.template_sha256 {
            return Err(mismatch(
                MismatchPart::Template,
                &format!("SHA-256 {}", self.template_sha256),
                &format!("SHA-256 {}", given.template_sha256),
            ));
        }
        if let (Some(journal), Some(given)) = (&self.recipients_sha256, &given.recipients_sha256)
            && journal != given
        {
            return Err(mismatch(
                MismatchPart::Recipients,
                &format!("SHA-256 {journal}"),
                &format!("SHA-256 {given}"),
            ));
        }
        if self.chunk_size != given.chunk_size {
            return Err(mismatch(
                MismatchPart::ChunkSize,
                &self.chunk_size.to_string(),
                &given.chunk_size.to_string(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(template: &str, recipients: Option<&str>, chunk_size: usize) -> Fingerprint {
        Fingerprint {
            endpoint: "/message/private/publish.json".into(),
            template_sha256: template.into(),
            recipients_sha256: recipients.map(Into::into),
            chunk_size,
        }
    }

    #[test]
    fn each_part_is_checked_and_named() {
        let path = Path::new("c.journal");
        let journal = print("t", Some("r"), 1000);
        journal.check(&journal, path).unwrap();
        journal.check(&print("t", None, 1000), path).unwrap();
        let error = journal
            .check(&print("t2", Some("r"), 1000), path)
            .unwrap_err();
        assert_eq!(error.part, MismatchPart::Template);
        assert_eq!(
            journal
                .check(&print("t", Some("r2"), 1000), path)
                .unwrap_err()
                .part,
            MismatchPart::Recipients
        );
        let error = journal.check(&print("t", Some("r"), 10), path).unwrap_err();
        assert_eq!(error.part, MismatchPart::ChunkSize);
        assert!(error.to_string().contains("chunk size is 1000"), "{error}");
        let mut system = print("t", Some("r"), 1000);
        system.endpoint = "/message/system/publish.json".into();
        assert_eq!(
            journal.check(&system, path).unwrap_err().part,
            MismatchPart::Endpoint
        );
        assert_ne!(journal.combined(), system.combined());
    }

    #[test]
    fn the_recipient_hash_separates_ids() {
        let hash = |ids: &[&str]| {
            let mut hasher = RecipientHasher::default();
            ids.iter().for_each(|id| hasher.push(id));
            hasher.finish()
        };
        assert_ne!(hash(&["ab", "c"]), hash(&["a", "bc"]));
        assert_ne!(hash(&["a", "b"]), hash(&["b", "a"]));
        assert_eq!(hash(&["a", "b"]), hash(&["a", "b"]));
    }
}
