//! One module per command group.

pub mod callback;
pub mod campaign;
pub mod send;

use crate::exit::Failure;

/// Checks user ids given on the command line with the provider's rule (as a
/// campaign checks its file), naming the flag.
pub fn check_ids<'a>(flag: &str, ids: impl IntoIterator<Item = &'a String>) -> Result<(), Failure> {
    let mut problems = Vec::new();
    for (n, id) in ids.into_iter().enumerate() {
        if let Err(problem) = api_campaign::check_id(id) {
            problems.push(format!("{flag} id {} ({id:?}): {problem}", n + 1));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::usage(problems.join("\n")))
    }
}

/// Prints a JSON value on standard output, one line.
pub fn print_json(value: &serde_json::Value) {
    println!("{value}");
}
