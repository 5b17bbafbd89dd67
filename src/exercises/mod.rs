//! Exercises for learners, graded by the same checks that guard the library.
//!
//! `exercises/` at the top of the project holds one file per topic — the logic gates,
//! the perceptron rule, softmax and cross-entropy, `Dense`, the activations'
//! derivatives, the optimizers' steps, HG 7-1 and 7-2's cells, dropout, early stopping
//! — with the same functions as the library or chapter they mirror, each body
//! `not_done()`. The learner fills the bodies in; the checks here decide which are
//! done:
//!
//! - `cargo test --release --features exercises` runs them against the learner's files
//!   (`tests/exercises.rs`, one test per exercise); plain `cargo test` runs the very
//!   same checks against [`mod@reference`], the library's own solutions;
//! - `cargo grade` prints the progress table (exercise, status, first failing check
//!   with its numbers), and `cargo grade --class DIR --csv scores.csv` grades a
//!   directory of submissions for an instructor (the `grader/` crate).
//!
//! A check compares numbers with something independent of the learner's code: finite
//! differences for a gradient, the library's Keras-identical optimizers for a step,
//! the chapter's bands for a training cell. Each exercise is checked on its own, with
//! the library's pieces around it, so one unfinished exercise never fails another.

mod compare;
mod grade;
mod settings;
mod unfinished;

pub mod checks;
pub mod reference;
mod set;

pub use compare::{
    central_differences, close, close_scalar, index_str, number, shape, Tol,
};
pub use grade::{
    class_csv, ensure, hint, table, Checked, Exercise, Graded, Status, Verdict,
};
pub use settings::{AdamSettings, DenseGrads, RmspropSettings, SgdSettings};
pub use unfinished::{not_done, Unfinished};

/// What an exercise file imports: `use annlab::exercises::prelude::*;` — the
/// `not_done()` helper, the types the exercises' signatures use, and ndarray's
/// arrays. Nothing here solves an exercise.
pub mod prelude {
    pub use super::{
        not_done, AdamSettings, DenseGrads, RmspropSettings, SgdSettings, Unfinished,
    };
    pub use ndarray::{
        array, s, Array1, Array2, ArrayD, ArrayView1, ArrayView2, Axis, Zip,
    };
}

/// The exercise files, in order: what `exercises/` holds and the grader includes.
pub const FILES: [&str; 10] = [
    "ex01_logic_gates.rs",
    "ex02_perceptron.rs",
    "ex03_softmax_crossentropy.rs",
    "ex04_dense.rs",
    "ex05_activations.rs",
    "ex06_optimizers.rs",
    "ex07_hg_7_1.rs",
    "ex08_hg_7_2.rs",
    "ex09_dropout.rs",
    "ex10_early_stopping.rs",
];

/// Every exercise, checked against the library's own solutions.
pub fn reference_set() -> Vec<Exercise> {
    crate::exercise_set!(reference)
}
