//! `not_done()`: what an exercise's body returns until the learner writes it.

use std::fmt;
use std::panic::Location;

/// An exercise body that is not written yet: where it is, so the grader can say which
/// function to open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unfinished {
    /// The `not_done()` call, e.g. `exercises/ex04_dense.rs:52:5`.
    pub location: &'static Location<'static>,
}

impl fmt::Display for Unfinished {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.location.file();
        // the grader includes the files by absolute path; show them from `exercises/`
        let shown = file.rfind("exercises/").map_or(file, |i| &file[i..]);
        write!(
            f,
            "not done yet: replace `not_done()` at {shown}:{} with your code",
            self.location.line()
        )
    }
}

impl std::error::Error for Unfinished {}

// ANCHOR: not_done
/// The body of an exercise nobody has written yet. It returns an error, never panics,
/// so that grading reports "3 of 21 done" instead of crashing. It fits any function
/// returning `Result<T, E>` whose error type can hold an `Unfinished` (`Unfinished`
/// itself, `ModelError`).
///
/// ```
/// use annlab::exercises::{not_done, Unfinished};
///
/// fn relu(z: f32) -> Result<f32, Unfinished> {
///     not_done() // your code here
/// }
/// assert!(relu(1.0).unwrap_err().to_string().starts_with("not done yet"));
/// ```
#[track_caller]
pub fn not_done<T, E: From<Unfinished>>() -> Result<T, E> {
    Err(E::from(Unfinished {
        location: Location::caller(),
    }))
}
// ANCHOR_END: not_done
