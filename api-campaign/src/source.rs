//! Where a campaign's recipients come from: a file, any reader, or an
//! iterator, read one id at a time (never all in memory) and checked as they
//! are read.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// The longest user id the provider accepts, in bytes.
pub const MAX_USER_ID_BYTES: usize = 64;

/// The header a recipients file may start with.
pub const HEADER: &str = "userId";

/// How many malformed lines an [`InputError::Malformed`] lists (it counts
/// them all).
pub const MAX_LISTED_PROBLEMS: usize = 20;

/// The recipients of a campaign, read once, in order, when the campaign is
/// created (its journal keeps them from then on).
///
/// - [`file`](Self::file) and [`reader`](Self::reader): one user id per
///   line; a first line `userId` is a header and skipped; a UTF-8 byte order
///   mark, `\r\n` line ends and spaces or tabs around an id are tolerated.
/// - [`ids`](Self::ids): user ids from an iterator (no header).
///
/// Every id must be 1 to 64 bytes of letters, digits, `+`, `=`, `-` and `_`
/// (the provider's user id rule). A blank line or a malformed id fails the
/// whole import with the line number of each problem; nothing is sent. A
/// repeated id is sent to once (counted in
/// [`CampaignInfo::duplicates`](crate::CampaignInfo::duplicates)).
///
/// ```
/// use api_campaign::RecipientSource;
///
/// let from_file = RecipientSource::file("recipients.txt");
/// let from_stdin = RecipientSource::reader(std::io::BufReader::new(std::io::stdin()));
/// let generated = RecipientSource::ids((0..1_000_000).map(|i| format!("user{i}")));
/// # let _ = (from_file, from_stdin, generated);
/// ```
pub struct RecipientSource {
    kind: Kind,
}

enum Kind {
    File(PathBuf),
    Reader(Box<dyn BufRead + Send>),
    Ids(Box<dyn Iterator<Item = String> + Send>),
}

impl fmt::Debug for RecipientSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::File(path) => f.debug_tuple("File").field(path).finish(),
            Kind::Reader(_) => f.write_str("Reader"),
            Kind::Ids(_) => f.write_str("Ids"),
        }
    }
}

impl RecipientSource {
    /// The lines of a file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            kind: Kind::File(path.into()),
        }
    }

    /// The lines of a reader (standard input, a decompressor...).
    pub fn reader(reader: impl BufRead + Send + 'static) -> Self {
        Self {
            kind: Kind::Reader(Box::new(reader)),
        }
    }

    /// The ids an iterator yields.
    pub fn ids<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        I::IntoIter: Send + 'static,
        S: Into<String> + 'static,
    {
        Self {
            kind: Kind::Ids(Box::new(ids.into_iter().map(Into::into))),
        }
    }

    /// Calls `accept` with every valid id in order, then fails with every
    /// problem found (reading on past the first, so all are reported);
    /// `accept` is not called again after the first problem.
    pub(crate) fn for_each<E>(
        self,
        mut accept: impl FnMut(&str) -> Result<(), E>,
    ) -> Result<Result<(), InputError>, E> {
        let mut problems = Problems::default();
        match self.kind {
            Kind::File(path) => {
                let file = match File::open(&path) {
                    Ok(file) => file,
                    Err(error) => return Ok(Err(InputError::Unreadable { path, error })),
                };
                let reader = BufReader::with_capacity(64 * 1024, file);
                if let Err(error) = read_lines(reader, &mut problems, &mut accept)? {
                    return Ok(Err(InputError::Unreadable { path, error }));
                }
            }
            Kind::Reader(reader) => {
                if let Err(error) = read_lines(reader, &mut problems, &mut accept)? {
                    return Ok(Err(InputError::Unreadable {
                        path: PathBuf::from("<reader>"),
                        error,
                    }));
                }
            }
            Kind::Ids(ids) => {
                problems.items = true;
                for (index, id) in ids.enumerate() {
                    let position = index as u64 + 1;
                    match check_id(&id) {
                        Ok(()) if problems.is_empty() => accept(&id)?,
                        Ok(()) => {}
                        Err(problem) => problems.push(position, problem),
                    }
                }
            }
        }
        Ok(problems.into_result())
    }

    /// The file's path, when the source is a file.
    pub fn path(&self) -> Option<&Path> {
        match &self.kind {
            Kind::File(path) => Some(path),
            _ => None,
        }
    }
}

/// Reads `reader` line by line into `accept`; the inner error is a read
/// failure (with the problems so far discarded: the input is unusable).
fn read_lines<E>(
    mut reader: impl BufRead,
    problems: &mut Problems,
    accept: &mut impl FnMut(&str) -> Result<(), E>,
) -> Result<Result<(), std::io::Error>, E> {
    let mut buffer = Vec::with_capacity(128);
    let mut line_number = 0u64;
    loop {
        buffer.clear();
        match reader.read_until(b'\n', &mut buffer) {
            Ok(0) => break,
            Ok(_) => {}
            Err(error) => return Ok(Err(error)),
        }
        line_number += 1;
        let mut bytes = buffer.as_slice();
        if line_number == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let Ok(line) = std::str::from_utf8(bytes) else {
            problems.push(line_number, Problem::NotUtf8);
            continue;
        };
        let id = line
            .trim_end_matches(['\n', '\r'])
            .trim_matches([' ', '\t']);
        if line_number == 1 && id == HEADER {
            continue;
        }
        match check_id(id) {
            Ok(()) if problems.is_empty() => accept(id)?,
            Ok(()) => {}
            Err(problem) => problems.push(line_number, problem),
        }
    }
    Ok(Ok(()))
}

/// Checks one user id against the provider's rule.
pub fn check_id(id: &str) -> Result<(), Problem> {
    if id.is_empty() {
        return Err(Problem::Blank);
    }
    if id.len() > MAX_USER_ID_BYTES {
        return Err(Problem::TooLong { bytes: id.len() });
    }
    if let Some(character) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '=' | '-' | '_')))
    {
        return Err(Problem::Character { character });
    }
    Ok(())
}

#[derive(Default)]
struct Problems {
    listed: Vec<(u64, Problem)>,
    total: u64,
    items: bool,
}

impl Problems {
    fn is_empty(&self) -> bool {
        self.total == 0
    }

    fn push(&mut self, position: u64, problem: Problem) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED_PROBLEMS {
            self.listed.push((position, problem));
        }
    }

    fn into_result(self) -> Result<(), InputError> {
        if self.total > 0 {
            return Err(InputError::Malformed(Malformed {
                listed: self.listed,
                total: self.total,
                unit: if self.items { "item" } else { "line" },
            }));
        }
        Ok(())
    }
}

/// What is wrong with one line (or item) of a recipient source.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// An empty line (or one of spaces only).
    Blank,
    /// Longer than [`MAX_USER_ID_BYTES`].
    TooLong {
        /// Its length in bytes.
        bytes: usize,
    },
    /// A character user ids cannot have.
    Character {
        /// The first such character.
        character: char,
    },
    /// Not UTF-8 text.
    NotUtf8,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Blank => f.write_str("blank: one user id per line"),
            Problem::TooLong { bytes } => write!(
                f,
                "{bytes} bytes long: a user id has at most {MAX_USER_ID_BYTES}"
            ),
            Problem::Character { character } => write!(
                f,
                "has {character:?}: a user id has only letters, digits, `+`, `=`, `-` and `_`"
            ),
            Problem::NotUtf8 => f.write_str("not UTF-8 text"),
        }
    }
}

/// Every malformed line of a recipient source (the first
/// [`MAX_LISTED_PROBLEMS`] listed, all counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    listed: Vec<(u64, Problem)>,
    total: u64,
    unit: &'static str,
}

impl Malformed {
    /// `(line or item number from 1, problem)`, in order, at most
    /// [`MAX_LISTED_PROBLEMS`].
    pub fn problems(&self) -> &[(u64, Problem)] {
        &self.listed
    }

    /// How many lines are malformed in all.
    pub fn total(&self) -> u64 {
        self.total
    }
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} malformed recipient {}{}",
            self.total,
            self.unit,
            if self.total == 1 { "" } else { "s" }
        )?;
        for (position, problem) in &self.listed {
            write!(f, "\n  {} {position}: {problem}", self.unit)?;
        }
        if self.total > self.listed.len() as u64 {
            write!(
                f,
                "\n  ... and {} more",
                self.total - self.listed.len() as u64
            )?;
        }
        Ok(())
    }
}

/// A recipient source that cannot be used; nothing was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Lines (or items) that are not user ids.
    #[error("{0}")]
    Malformed(Malformed),
    /// No recipient at all.
    #[error("the recipient list is empty")]
    Empty,
    /// The file could not be opened or read.
    #[error("cannot read recipients from {}: {error}", path.display())]
    Unreadable {
        /// The file's path (`<reader>` for a reader).
        path: PathBuf,
        /// The I/O error.
        #[source]
        error: std::io::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<String>, Result<(), InputError>) {
        let mut ids = Vec::new();
        let source = RecipientSource::reader(std::io::Cursor::new(text.as_bytes().to_vec()));
        let result = source
            .for_each::<()>(|id| {
                ids.push(id.to_owned());
                Ok(())
            })
            .unwrap();
        (ids, result)
    }

    #[test]
    fn a_header_a_bom_crlf_and_spaces_are_tolerated() {
        let (ids, result) = read("\u{feff}userId\r\nalice\r\n  bob\t\ncarol");
        result.unwrap();
        assert_eq!(ids, ["alice", "bob", "carol"]);
        // `userId` after the first line is a user id like any other.
        let (ids, result) = read("a\nuserId\n");
        result.unwrap();
        assert_eq!(ids, ["a", "userId"]);
    }

    #[test]
    fn every_malformed_line_is_reported_with_its_number() {
        let long = "x".repeat(65);
        let text = format!("userId\nok1\n\nbad id\n{long}\nok_2-+=\nné\n");
        let (ids, result) = read(&text);
        // Nothing is accepted after the first problem.
        assert_eq!(ids, ["ok1"]);
        let Err(InputError::Malformed(malformed)) = result else {
            panic!("{result:?}")
        };
        assert_eq!(malformed.total(), 4);
        assert_eq!(
            malformed.problems(),
            [
                (3, Problem::Blank),
                (4, Problem::Character { character: ' ' }),
                (5, Problem::TooLong { bytes: 65 }),
                (7, Problem::Character { character: 'é' }),
            ]
        );
        let text = malformed.to_string();
        assert!(text.starts_with("4 malformed recipient lines"), "{text}");
        assert!(text.contains("line 5: 65 bytes long"), "{text}");
    }

    #[test]
    fn invalid_utf8_is_a_problem_of_its_line() {
        let mut ids = Vec::new();
        let source = RecipientSource::reader(std::io::Cursor::new(b"a\n\xff\xfe\nb\n".to_vec()));
        let result = source
            .for_each::<()>(|id| {
                ids.push(id.to_owned());
                Ok(())
            })
            .unwrap();
        let Err(InputError::Malformed(malformed)) = result else {
            panic!()
        };
        assert_eq!(malformed.problems(), [(2, Problem::NotUtf8)]);
    }

    #[test]
    fn problems_beyond_the_listed_ones_are_counted() {
        let text = "\n".repeat(MAX_LISTED_PROBLEMS + 5);
        let (_, result) = read(&text);
        let Err(InputError::Malformed(malformed)) = result else {
            panic!()
        };
        assert_eq!(malformed.problems().len(), MAX_LISTED_PROBLEMS);
        assert_eq!(malformed.total(), MAX_LISTED_PROBLEMS as u64 + 5);
        assert!(malformed.to_string().ends_with("... and 5 more"));
    }

    #[test]
    fn iterator_items_are_checked_too() {
        let source = RecipientSource::ids(["a", "", "b"]);
        let result = source.for_each::<()>(|_| Ok(())).unwrap();
        let Err(InputError::Malformed(malformed)) = result else {
            panic!()
        };
        assert_eq!(malformed.problems(), [(2, Problem::Blank)]);
        assert!(
            malformed.to_string().contains("item 2: blank"),
            "{malformed}"
        );
    }

    #[test]
    fn a_missing_file_is_unreadable() {
        let source = RecipientSource::file("/nonexistent/recipients.txt");
        let result = source.for_each::<()>(|_| Ok(())).unwrap();
        assert!(
            matches!(result, Err(InputError::Unreadable { ref path, .. }) if path.ends_with("recipients.txt")),
            "{result:?}"
        );
    }
}
