//! The grader's honesty for exercise files 3, 4, 5 and 9 (softmax and cross-entropy,
//! `Dense`, the activations' derivatives, dropout): the blank files are "not done", a
//! file solved by hand (plain loops and ndarray, not the library) passes every check,
//! and each typical mistake fails with a message that points at it.

use annlab::exercises::checks::{activations, dense, dropout, softmax};
use annlab::exercises::{Checked, Verdict};

// The blank exercise files, as a learner receives them. (Top-level modules: a `#[path]`
// inside an inline `mod` is resolved from a directory named after it, which must exist.)
#[allow(dead_code)]
#[path = "../exercises/ex03_softmax_crossentropy.rs"]
mod blank_ex03;
#[allow(dead_code)]
#[path = "../exercises/ex04_dense.rs"]
mod blank_ex04;
#[allow(dead_code)]
#[path = "../exercises/ex05_activations.rs"]
mod blank_ex05;
#[allow(dead_code)]
#[path = "../exercises/ex09_dropout.rs"]
mod blank_ex09;

#[path = "exercise_fixtures/ex03_softmax_crossentropy_no_mean.rs"]
mod ex03_no_mean;
#[path = "exercise_fixtures/ex03_softmax_crossentropy_solved.rs"]
mod ex03_solved;
#[path = "exercise_fixtures/ex04_dense_bias_mean.rs"]
mod ex04_bias_mean;
#[path = "exercise_fixtures/ex04_dense_solved.rs"]
mod ex04_solved;
#[path = "exercise_fixtures/ex04_dense_transposed.rs"]
mod ex04_transposed;
#[path = "exercise_fixtures/ex05_activations_sigmoid_twice.rs"]
mod ex05_sigmoid_twice;
#[path = "exercise_fixtures/ex05_activations_solved.rs"]
mod ex05_solved;
#[path = "exercise_fixtures/ex09_dropout_no_rescale.rs"]
mod ex09_no_rescale;
#[path = "exercise_fixtures/ex09_dropout_solved.rs"]
mod ex09_solved;

/// Asserts that a check failed as a wrong answer whose message contains `clue`.
fn assert_wrong(checked: Checked, clue: &str) {
    match checked {
        Err(Verdict::Wrong(msg)) => {
            assert!(msg.contains(clue), "the message {msg:?} lacks {clue:?}")
        }
        other => panic!("expected a wrong answer mentioning {clue:?}, got {other:?}"),
    }
}

/// Asserts that a check stopped at a `not_done()` of `file`.
fn assert_not_done(checked: Checked, file: &str) {
    match checked {
        Err(Verdict::NotDone(u)) => {
            let message = u.to_string();
            assert!(message.contains(file), "{message:?} does not name {file}");
        }
        other => panic!("expected not done, got {other:?}"),
    }
}

#[test]
fn the_blank_files_are_not_done() {
    let ex03 = "exercises/ex03_softmax_crossentropy.rs";
    assert_not_done(softmax::softmax(blank_ex03::softmax), ex03);
    assert_not_done(
        softmax::crossentropy(blank_ex03::sparse_categorical_crossentropy),
        ex03,
    );
    assert_not_done(
        softmax::gradient(blank_ex03::softmax_crossentropy_gradient),
        ex03,
    );
    let ex04 = "exercises/ex04_dense.rs";
    assert_not_done(dense::forward(blank_ex04::dense_forward), ex04);
    assert_not_done(dense::backward(blank_ex04::dense_backward), ex04);
    let ex05 = "exercises/ex05_activations.rs";
    assert_not_done(activations::relu(blank_ex05::relu_backward), ex05);
    assert_not_done(activations::sigmoid(blank_ex05::sigmoid_backward), ex05);
    let ex09 = "exercises/ex09_dropout.rs";
    assert_not_done(dropout::forward(blank_ex09::dropout_forward), ex09);
    assert_not_done(dropout::backward(blank_ex09::dropout_backward), ex09);
}

#[test]
fn softmax_and_cross_entropy_solved_by_hand_pass() {
    assert_eq!(softmax::softmax(ex03_solved::softmax), Ok(()));
    assert_eq!(
        softmax::crossentropy(ex03_solved::sparse_categorical_crossentropy),
        Ok(())
    );
    assert_eq!(
        softmax::gradient(ex03_solved::softmax_crossentropy_gradient),
        Ok(())
    );
}

#[test]
fn a_gradient_not_divided_by_the_batch_size_differs_from_finite_differences() {
    assert_wrong(
        softmax::gradient(ex03_no_mean::softmax_crossentropy_gradient),
        "dL/dz[",
    );
}

#[test]
fn dense_solved_by_hand_passes() {
    assert_eq!(dense::forward(ex04_solved::dense_forward), Ok(()));
    assert_eq!(dense::backward(ex04_solved::dense_backward), Ok(()));
}

#[test]
fn a_transposed_kernel_gradient_is_called_transposed() {
    assert_wrong(
        dense::backward(ex04_transposed::dense_backward),
        "transposed",
    );
}

#[test]
fn a_bias_gradient_averaged_over_the_batch_differs_from_finite_differences() {
    assert_wrong(dense::backward(ex04_bias_mean::dense_backward), "dL/db[");
}

#[test]
fn the_activations_derivatives_solved_by_hand_pass() {
    assert_eq!(activations::relu(ex05_solved::relu_backward), Ok(()));
    assert_eq!(activations::sigmoid(ex05_solved::sigmoid_backward), Ok(()));
}

#[test]
fn a_sigmoid_applied_to_the_output_again_differs_from_finite_differences() {
    assert_wrong(
        activations::sigmoid(ex05_sigmoid_twice::sigmoid_backward),
        "dL/dz[",
    );
}

#[test]
fn dropout_solved_by_hand_passes() {
    assert_eq!(dropout::forward(ex09_solved::dropout_forward), Ok(()));
    assert_eq!(dropout::backward(ex09_solved::dropout_backward), Ok(()));
}

#[test]
fn dropout_without_the_rescaling_is_caught_at_an_entry_of_y() {
    assert_wrong(dropout::forward(ex09_no_rescale::dropout_forward), "y[");
}

#[test]
fn the_solved_files_call_none_of_the_library_solutions() {
    let solved = [
        (
            "ex03_softmax_crossentropy.rs",
            include_str!("exercise_fixtures/ex03_softmax_crossentropy_solved.rs"),
        ),
        (
            "ex04_dense.rs",
            include_str!("exercise_fixtures/ex04_dense_solved.rs"),
        ),
        (
            "ex05_activations.rs",
            include_str!("exercise_fixtures/ex05_activations_solved.rs"),
        ),
        (
            "ex09_dropout.rs",
            include_str!("exercise_fixtures/ex09_dropout_solved.rs"),
        ),
    ];
    let mut seen = 0;
    for exercise in annlab::exercises::reference_set() {
        for (file, source) in solved {
            if exercise.file == file {
                seen += 1;
                let peeks = exercise.peeks(source);
                assert!(peeks.is_empty(), "{} {file} uses {peeks:?}", exercise.id);
            }
        }
    }
    assert_eq!(seen, 9, "exercises 3.1–3.3, 4.1, 4.2, 5.1, 5.2, 9.1, 9.2");
}
