//! Running an exercise's checks and reporting: one status per exercise, a progress
//! table for the learner, a CSV row per learner for the instructor.

use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use serde::{Deserialize, Serialize};

use super::Unfinished;
use crate::error::ModelError;

/// Why an exercise's checks stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The learner's body still returns `not_done()`.
    NotDone(Unfinished),
    /// A check failed; the message names the check and both numbers.
    Wrong(String),
}

impl From<Unfinished> for Verdict {
    fn from(u: Unfinished) -> Self {
        Verdict::NotDone(u)
    }
}

impl From<ModelError> for Verdict {
    /// A learner's `not_done()` that went through a `ModelError` stays "not done"; any
    /// other error is a wrong answer, reported with its message.
    fn from(e: ModelError) -> Self {
        match e {
            ModelError::Unfinished(u) => Verdict::NotDone(u),
            other => Verdict::Wrong(format!("returned an error: {other}")),
        }
    }
}

/// What a check returns: `Ok` once every check of the exercise passed.
pub type Checked = Result<(), Verdict>;

/// Fails a check with a message unless `ok`.
pub fn ensure(ok: bool, message: impl FnOnce() -> String) -> Checked {
    if ok {
        Ok(())
    } else {
        Err(Verdict::Wrong(message()))
    }
}

/// Appends `hint` (a case, or what the check expects) to a failed check's message:
/// `"{message} ({hint})"`; any other outcome passes through.
pub fn hint(checked: Checked, hint: &str) -> Checked {
    checked.map_err(|v| match v {
        Verdict::Wrong(msg) => Verdict::Wrong(format!("{msg} ({hint})")),
        other => other,
    })
}

/// One exercise: a function (or a few) of one exercise file, and the checks that
/// decide whether it is done.
pub struct Exercise {
    /// `"4.2"`: file 4, second exercise.
    pub id: &'static str,
    /// What to write, e.g. `"Dense backward pass"`.
    pub title: &'static str,
    /// The exercise file, e.g. `"ex04_dense.rs"`.
    pub file: &'static str,
    /// The function(s) to fill in, e.g. `"dense_backward"`.
    pub function: &'static str,
    /// Library paths that solve the exercise: a file that names one of them calls the
    /// reference instead of doing the exercise.
    pub forbidden: &'static [&'static str],
    check: Box<dyn Fn() -> Checked>,
}

impl Exercise {
    /// An exercise whose checks `check` runs.
    pub fn new(
        id: &'static str,
        title: &'static str,
        file: &'static str,
        function: &'static str,
        forbidden: &'static [&'static str],
        check: impl Fn() -> Checked + 'static,
    ) -> Self {
        Exercise {
            id,
            title,
            file,
            function,
            forbidden,
            check: Box::new(check),
        }
    }

    /// Runs the checks; a panic in the learner's code is caught and reported.
    pub fn run(&self) -> Status {
        match catch(&self.check) {
            Ok(Ok(())) => Status::Done,
            Ok(Err(Verdict::NotDone(u))) => Status::NotDone(u.to_string()),
            Ok(Err(Verdict::Wrong(why))) => Status::Wrong(why),
            Err(why) => Status::Panicked(why),
        }
    }

    /// The forbidden names `source` (an exercise file's text) uses outside comments.
    pub fn peeks(&self, source: &str) -> Vec<&'static str> {
        let code: String = source
            .lines()
            .map(|line| line.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        // every exercise: the library's own solutions, bound for the tests
        std::iter::once("exercises::reference")
            .chain(self.forbidden.iter().copied())
            .filter(|name| code.contains(name))
            .collect()
    }
}

/// An exercise's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Done,
    NotDone(String),
    Wrong(String),
    Panicked(String),
    /// The file calls the library's own solution (the names are listed).
    Peeks(String),
}

impl Status {
    pub fn is_done(&self) -> bool {
        matches!(self, Status::Done)
    }
    /// One word for the table and the CSV.
    pub fn word(&self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::NotDone(_) => "not done",
            Status::Wrong(_) => "wrong",
            Status::Panicked(_) => "panicked",
            Status::Peeks(_) => "uses the reference",
        }
    }
    /// The first failing check, or where to start.
    pub fn detail(&self) -> &str {
        match self {
            Status::Done => "",
            Status::NotDone(s)
            | Status::Wrong(s)
            | Status::Panicked(s)
            | Status::Peeks(s) => s,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Done => f.write_str("done"),
            // "not done yet: replace `not_done()` at …" says it already
            Status::NotDone(detail) => f.write_str(detail),
            other => write!(f, "{}: {}", other.word(), other.detail()),
        }
    }
}

/// One graded exercise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Graded {
    pub id: String,
    pub title: String,
    pub file: String,
    pub status: Status,
}

impl Graded {
    /// Grades `exercise`; `source` is its file's text when the grader can read it, for
    /// the check that the file does not call the reference.
    pub fn of(exercise: &Exercise, source: Option<&str>) -> Self {
        let peeks = source.map(|s| exercise.peeks(s)).unwrap_or_default();
        let status = if peeks.is_empty() {
            exercise.run()
        } else {
            Status::Peeks(format!(
                "{} calls the library's own solution ({}); write it yourself",
                exercise.file,
                peeks.join(", ")
            ))
        };
        Graded {
            id: exercise.id.into(),
            title: exercise.title.into(),
            file: exercise.file.into(),
            status,
        }
    }
}

/// The learner's progress table: one line per exercise, the first failing check under
/// it, and "k of n done" at the end.
pub fn table(graded: &[Graded]) -> String {
    let width = graded
        .iter()
        .map(|g| g.title.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for g in graded {
        let mark = if g.status.is_done() { "✓" } else { "✗" };
        let pad = width - g.title.chars().count();
        out.push_str(&format!(
            "{mark} {:<4} {}{} {:<18} {}\n",
            g.id,
            g.title,
            " ".repeat(pad),
            g.status.word(),
            g.file
        ));
        if !g.status.is_done() {
            out.push_str(&format!("         {}\n", g.status.detail()));
        }
    }
    let done = graded.iter().filter(|g| g.status.is_done()).count();
    out.push_str(&format!("{done} of {} done\n", graded.len()));
    out
}

/// Quotes a CSV field when it needs it (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A class's scores as CSV: a header `learner,done,total,<id>…`, then one row per
/// learner with 1 for a done exercise and 0 otherwise, and a last column with the
/// first problem found.
pub fn class_csv(
    ids: &[String],
    rows: &[(String, Result<Vec<Graded>, String>)],
) -> String {
    let mut out = String::from("learner,done,total");
    for id in ids {
        out.push(',');
        out.push_str(&csv_field(id));
    }
    out.push_str(",first problem\n");
    for (learner, graded) in rows {
        out.push_str(&csv_field(learner));
        match graded {
            Ok(graded) => {
                let done = graded.iter().filter(|g| g.status.is_done()).count();
                out.push_str(&format!(",{done},{}", ids.len()));
                for id in ids {
                    let ok = graded.iter().any(|g| &g.id == id && g.status.is_done());
                    out.push_str(if ok { ",1" } else { ",0" });
                }
                let first = graded
                    .iter()
                    .find(|g| !g.status.is_done())
                    .map(|g| format!("{} {}", g.id, g.status))
                    .unwrap_or_default();
                out.push(',');
                out.push_str(&csv_field(&first));
            }
            Err(why) => {
                out.push_str(&format!(",0,{}", ids.len()));
                for _ in ids {
                    out.push_str(",0");
                }
                out.push(',');
                out.push_str(&csv_field(why));
            }
        }
        out.push('\n');
    }
    out
}

thread_local! {
    /// Whether this thread is inside `catch`, and the last panic's message and place.
    static CATCHING: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Installs, once per process, a panic hook that records a panic on a thread inside
/// `catch` instead of printing it, and hands every other panic to the hook it replaced
/// (so that tests running beside the grader still print theirs).
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let caught = CATCHING.with(|c| {
                let mut c = c.borrow_mut();
                match c.as_mut() {
                    Some(slot) => {
                        let place = info
                            .location()
                            .map(|l| format!(" at {}:{}", l.file(), l.line()))
                            .unwrap_or_default();
                        *slot = Some(format!("{}{place}", payload_text(info.payload())));
                        true
                    }
                    None => false,
                }
            });
            if !caught {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into an error that says what and where, without the
/// panic being printed (the grader reports it in its table instead).
fn catch<T>(f: impl Fn() -> T) -> Result<T, String> {
    install_hook();
    CATCHING.with(|c| *c.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let recorded = CATCHING.with(|c| c.borrow_mut().take()).flatten();
    result.map_err(|payload| recorded.unwrap_or_else(|| payload_text(&*payload)))
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graded(id: &str, status: Status) -> Graded {
        Graded {
            id: id.into(),
            title: format!("exercise {id}"),
            file: "ex04_dense.rs".into(),
            status,
        }
    }

    #[test]
    fn the_table_counts_what_is_done_and_shows_the_first_failure() {
        let rows = [
            graded("4.1", Status::Done),
            graded(
                "4.2",
                Status::Wrong(
                    "dL/dW[3, 7]: yours 0.0123, finite differences 0.0456".into(),
                ),
            ),
        ];
        let text = table(&rows);
        assert!(text.contains("✓ 4.1"), "{text}");
        assert!(text.contains("✗ 4.2") && text.contains("wrong"), "{text}");
        assert!(text.contains("dL/dW[3, 7]: yours 0.0123"), "{text}");
        assert!(text.ends_with("1 of 2 done\n"), "{text}");
    }

    #[test]
    fn the_class_csv_has_a_row_per_learner_and_quotes_commas() {
        let ids = vec!["4.1".to_string(), "4.2".to_string()];
        let rows = vec![
            (
                "kim".to_string(),
                Ok(vec![
                    graded("4.1", Status::Done),
                    graded("4.2", Status::Wrong("dL/db[0]: yours 1, expected 2".into())),
                ]),
            ),
            (
                "lee".to_string(),
                Err("does not compile: error[E0308]".to_string()),
            ),
        ];
        let csv = class_csv(&ids, &rows);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "learner,done,total,4.1,4.2,first problem");
        assert_eq!(
            lines[1],
            "kim,1,2,1,0,\"4.2 wrong: dL/db[0]: yours 1, expected 2\""
        );
        assert_eq!(lines[2], "lee,0,2,0,0,does not compile: error[E0308]");
    }

    #[test]
    fn a_panic_in_the_learners_code_is_reported_not_raised() {
        let exercise = Exercise::new("0.1", "panics", "ex00.rs", "f", &[], || {
            let v: Vec<f32> = Vec::new();
            let _ = v[3];
            Ok(())
        });
        match exercise.run() {
            Status::Panicked(why) => {
                assert!(why.contains("index out of bounds"), "{why}")
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_not_done_body_behind_a_model_error_stays_not_done() {
        let exercise = Exercise::new("0.2", "model", "ex00.rs", "f", &[], || {
            let r: Result<(), ModelError> = crate::exercises::not_done();
            r?;
            Ok(())
        });
        assert!(matches!(exercise.run(), Status::NotDone(_)));
    }
}
