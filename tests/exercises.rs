//! The exercises' checks, one test per exercise. Plain `cargo test` runs them against
//! the library's own solutions (`annlab::exercises::reference`); with
//! `--features exercises` against the learner's files in `exercises/`:
//!
//! ```sh
//! cargo test --release --features exercises            # every exercise
//! cargo test --release --features exercises dense      # the Dense ones
//! ```
//!
//! A test of an unfinished exercise fails with "not done yet: replace `not_done()` at
//! exercises/ex04_dense.rs:40 with your code"; a wrong one with its first failing
//! check, e.g. "dL/dW[3, 7]: yours 0.0123, finite differences 0.0456". `cargo grade`
//! prints the same as one table.

#[cfg(feature = "exercises")]
#[path = "../exercises/ex01_logic_gates.rs"]
#[allow(dead_code)]
mod ex01_logic_gates;
#[cfg(feature = "exercises")]
#[path = "../exercises/ex02_perceptron.rs"]
#[allow(dead_code)]
mod ex02_perceptron;
#[cfg(feature = "exercises")]
#[path = "../exercises/ex03_softmax_crossentropy.rs"]
#[allow(dead_code)]
mod ex03_softmax_crossentropy;
#[cfg(feature = "exercises")]
#[path = "../exercises/ex04_dense.rs"]
#[allow(dead_code)]
mod ex04_dense;
#[cfg(feature = "exercises")]
#[path = "../exercises/ex05_activations.rs"]
#[allow(dead_code)]
mod ex05_activations;
#[cfg(feature = "exercises")]
#[path = "../exercises/ex06_optimizers.rs"]
#[allow(dead_code)]
mod ex06_optimizers;
#[cfg(feature = "exercises")]
#[path = "../exercises/ex07_hg_7_1.rs"]
#[allow(dead_code)]
mod ex07_hg_7_1;
#[cfg(feature = "exercises")]
#[path = "../exercises/ex08_hg_7_2.rs"]
#[allow(dead_code)]
mod ex08_hg_7_2;
#[cfg(feature = "exercises")]
#[path = "../exercises/ex09_dropout.rs"]
#[allow(dead_code)]
mod ex09_dropout;
#[cfg(feature = "exercises")]
#[path = "../exercises/ex10_early_stopping.rs"]
#[allow(dead_code)]
mod ex10_early_stopping;
#[cfg(feature = "exercises")]
/// The learner's files, as `exercise_set!` wants them: one module holding them all.
mod set {
    pub(crate) use super::ex01_logic_gates;
    pub(crate) use super::ex02_perceptron;
    pub(crate) use super::ex03_softmax_crossentropy;
    pub(crate) use super::ex04_dense;
    pub(crate) use super::ex05_activations;
    pub(crate) use super::ex06_optimizers;
    pub(crate) use super::ex07_hg_7_1;
    pub(crate) use super::ex08_hg_7_2;
    pub(crate) use super::ex09_dropout;
    pub(crate) use super::ex10_early_stopping;
}

#[cfg(not(feature = "exercises"))]
use annlab::exercises::reference as set;

use annlab::exercises::Status;

/// A test's failure, printed as it is (a `String` would be printed quoted, with its
/// quotes and backslashes escaped).
struct Report(String);

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Runs exercise `id` of the set; `Err` with its status unless it is done.
fn grade(id: &str) -> Result<(), Report> {
    let exercises = annlab::exercise_set!(set);
    let exercise = exercises
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(|| Report(format!("no exercise {id}")))?;
    match exercise.run() {
        Status::Done => Ok(()),
        status => Err(Report(format!(
            "{} {} ({}): {status}",
            exercise.id, exercise.title, exercise.file
        ))),
    }
}

#[test]
fn exercise_1_1_the_gates_give_their_truth_tables() -> Result<(), Report> {
    grade("1.1")
}

#[test]
fn exercise_1_2_two_layers_of_neurons_compute_xor() -> Result<(), Report> {
    grade("1.2")
}

#[test]
fn exercise_2_1_the_perceptron_rule_learns_what_scikit_learn_learns() -> Result<(), Report>
{
    grade("2.1")
}

#[test]
fn exercise_3_1_softmax_gives_rows_of_probabilities() -> Result<(), Report> {
    grade("3.1")
}

#[test]
fn exercise_3_2_cross_entropy_is_the_mean_negative_log_likelihood() -> Result<(), Report>
{
    grade("3.2")
}

#[test]
fn exercise_3_3_the_cross_entropy_gradient_matches_finite_differences(
) -> Result<(), Report> {
    grade("3.3")
}

#[test]
fn exercise_4_1_dense_forward_computes_x_w_plus_b() -> Result<(), Report> {
    grade("4.1")
}

#[test]
fn exercise_4_2_dense_backward_matches_finite_differences() -> Result<(), Report> {
    grade("4.2")
}

#[test]
fn exercise_5_1_the_relu_derivative_matches_finite_differences() -> Result<(), Report> {
    grade("5.1")
}

#[test]
fn exercise_5_2_the_sigmoid_derivative_matches_finite_differences() -> Result<(), Report>
{
    grade("5.2")
}

#[test]
fn exercise_6_1_sgd_steps_as_keras_steps() -> Result<(), Report> {
    grade("6.1")
}

#[test]
fn exercise_6_2_rmsprop_steps_as_keras_steps() -> Result<(), Report> {
    grade("6.2")
}

#[test]
fn exercise_6_3_adam_steps_as_keras_steps() -> Result<(), Report> {
    grade("6.3")
}

#[test]
fn exercise_7_1_the_hg_7_1_model_has_the_books_layers() -> Result<(), Report> {
    grade("7.1")
}

#[test]
fn exercise_7_2_the_hg_7_1_cell_trains_into_the_books_band() -> Result<(), Report> {
    grade("7.2")
}

#[test]
fn exercise_8_1_the_hg_7_2_sigmoid_model_has_the_books_layers() -> Result<(), Report> {
    grade("8.1")
}

#[test]
fn exercise_8_2_the_hg_7_2_relu_model_has_the_books_layers() -> Result<(), Report> {
    grade("8.2")
}

#[test]
fn exercise_8_3_the_hg_7_2_cell_trains_into_the_books_band() -> Result<(), Report> {
    grade("8.3")
}

#[test]
fn exercise_9_1_dropout_zeroes_and_rescales_as_keras_does() -> Result<(), Report> {
    grade("9.1")
}

#[test]
fn exercise_9_2_the_dropout_gradient_flows_through_the_mask() -> Result<(), Report> {
    grade("9.2")
}

#[test]
fn exercise_10_1_early_stopping_stops_where_keras_stops() -> Result<(), Report> {
    grade("10.1")
}
