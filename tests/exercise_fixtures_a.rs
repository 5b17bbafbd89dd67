//! The grader's honesty, for exercise files 1, 2 and 10: a file solved the way a
//! learner would solve it passes every check of its file, and each typical mistake
//! fails with a message that points at it.

#[path = "exercise_fixtures/ex01_logic_gates_solved.rs"]
mod ex01_solved;
#[path = "exercise_fixtures/ex02_perceptron_solved.rs"]
mod ex02_solved;
#[path = "exercise_fixtures/ex02_perceptron_strict.rs"]
mod ex02_strict;
#[path = "exercise_fixtures/ex10_early_stopping_no_restore.rs"]
mod ex10_no_restore;
#[path = "exercise_fixtures/ex10_early_stopping_solved.rs"]
mod ex10_solved;

use annlab::callbacks::Callback;
use annlab::exercises::checks::{early_stopping, gates, perceptron};
use annlab::exercises::{Checked, Verdict};

/// The message of a wrong answer; panics on anything else.
fn wrong(checked: Checked) -> String {
    match checked {
        Err(Verdict::Wrong(msg)) => msg,
        other => panic!("expected a wrong answer, got {other:?}"),
    }
}

#[test]
fn the_solved_gates_give_their_truth_tables() {
    assert_eq!(
        gates::gates(ex01_solved::and, ex01_solved::or, ex01_solved::a_and_not_b),
        Ok(())
    );
}

#[test]
fn the_solved_xor_network_computes_xor_in_two_layers() {
    assert_eq!(gates::xor(ex01_solved::xor_network), Ok(()));
}

#[test]
fn an_and_gate_built_as_or_is_named_with_the_input_it_gets_wrong() {
    let msg = wrong(gates::gates(
        ex01_solved::or,
        ex01_solved::or,
        ex01_solved::a_and_not_b,
    ));
    assert_eq!(msg, "and(): inputs (A=0, B=1) gave 1, expected 0");
}

#[test]
fn the_solved_perceptron_rule_learns_scikit_learns_weights() {
    assert_eq!(
        perceptron::update_rule(ex02_solved::perceptron_update),
        Ok(())
    );
}

#[test]
fn a_rule_that_skips_points_on_the_boundary_is_told_about_p_equal_zero() {
    let msg = wrong(perceptron::update_rule(ex02_strict::perceptron_update));
    assert!(
        msg.contains("p = 0") && msg.contains("returned false"),
        "{msg}"
    );
}

fn solved_early_stopping(patience: usize, restore: bool) -> Box<dyn Callback> {
    Box::new(ex10_solved::EarlyStopping::new(patience, restore))
}

fn never_restoring(patience: usize, restore: bool) -> Box<dyn Callback> {
    Box::new(ex10_no_restore::EarlyStopping::new(patience, restore))
}

#[test]
fn the_solved_early_stopping_stops_and_restores_where_keras_does() {
    assert_eq!(
        early_stopping::early_stopping(solved_early_stopping),
        Ok(())
    );
}

#[test]
fn an_early_stopping_that_never_restores_is_told_about_restoring() {
    let msg = wrong(early_stopping::early_stopping(never_restoring));
    assert!(
        msg.contains("restore_best_weights true") && msg.contains("best epoch's"),
        "{msg}"
    );
}
