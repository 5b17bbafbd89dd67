//! The grader's honesty for exercises 6–8 (optimizers, HG 7-1 and 7-2's cells): a file
//! solved the way a learner would write it passes every check of its file, and each
//! classic mistake fails with a message that points at it. Only one test trains (the
//! solved 7-1 and 7-2 training cells, against Fashion-MNIST); the rest build models.

#[path = "exercise_fixtures/ex06_optimizers_solved.rs"]
#[allow(clippy::needless_range_loop)]
mod ex06_solved;

#[path = "exercise_fixtures/ex06_optimizers_eps_outside.rs"]
#[allow(clippy::needless_range_loop)]
mod ex06_eps_outside;

#[path = "exercise_fixtures/ex06_optimizers_no_bias_correction.rs"]
#[allow(clippy::needless_range_loop)]
mod ex06_no_bias_correction;

#[path = "exercise_fixtures/ex07_hg_7_1_solved.rs"]
mod ex07_solved;

#[path = "exercise_fixtures/ex08_hg_7_2_solved.rs"]
mod ex08_solved;

#[path = "exercise_fixtures/ex08_hg_7_2_no_flatten.rs"]
mod ex08_no_flatten;

use annlab::exercises::checks::{hg_cells, optimizers};
use annlab::exercises::{Checked, Verdict};
use annlab::prelude::*;

/// The message of a failed check; panics on a pass or on "not done".
fn wrong(checked: Checked) -> String {
    match checked {
        Err(Verdict::Wrong(message)) => message,
        other => panic!("expected a wrong answer, got {other:?}"),
    }
}

#[test]
fn the_solved_optimizer_steps_pass_sgd_rmsprop_and_adam() {
    assert_eq!(optimizers::sgd(ex06_solved::sgd_step), Ok(()));
    assert_eq!(optimizers::rmsprop(ex06_solved::rmsprop_step), Ok(()));
    assert_eq!(optimizers::adam(ex06_solved::adam_step), Ok(()));
}

#[test]
fn rmsprop_with_epsilon_outside_the_square_root_is_caught_on_a_weight() {
    let message = wrong(optimizers::rmsprop(ex06_eps_outside::rmsprop_step));
    assert!(
        message.contains("w[") && message.contains("Keras"),
        "{message}"
    );
}

#[test]
fn adam_without_bias_correction_is_caught() {
    let message = wrong(optimizers::adam(ex06_no_bias_correction::adam_step));
    assert!(message.contains("Keras"), "{message}");
}

#[test]
fn the_solved_model_cells_build_the_books_models() {
    assert_eq!(hg_cells::hg_7_1_model(ex07_solved::model), Ok(()));
    assert_eq!(
        hg_cells::hg_7_2_sigmoid_model(ex08_solved::sigmoid_model),
        Ok(())
    );
    assert_eq!(hg_cells::hg_7_2_relu_model(ex08_solved::relu_model), Ok(()));
}

#[test]
fn a_relu_model_without_flatten_is_told_about_the_flatten_layer() {
    let message = wrong(hg_cells::hg_7_2_relu_model(ex08_no_flatten::relu_model));
    assert!(message.contains("flatten"), "{message}");
}

/// The relu model with a sigmoid hidden layer: the same summary, other outputs.
fn relu_model_with_a_sigmoid(seed: u64) -> Result<Sequential, ModelError> {
    let mut model = Sequential::new(seed);
    model.add(Flatten::new().input_shape(&[28, 28]));
    model.add(Dense::new(100).activation(Activation::Sigmoid));
    model.add(Dense::new(10).activation(Activation::Softmax));
    Ok(model)
}

/// HG 7-1's model, always seeded 42: right for seed 42 only.
fn model_ignoring_its_seed(_seed: u64) -> Result<Sequential, ModelError> {
    ex07_solved::model(42)
}

#[test]
fn a_wrong_activation_is_caught_by_the_predictions() {
    let message = wrong(hg_cells::hg_7_2_relu_model(relu_model_with_a_sigmoid));
    assert!(
        message.contains("predict(x)") && message.contains("activation"),
        "{message}"
    );
}

#[test]
fn a_model_cell_that_ignores_its_seed_is_caught() {
    let message = wrong(hg_cells::hg_7_1_model(model_ignoring_its_seed));
    assert!(
        message.contains("seed 7") && message.contains("Sequential::new"),
        "{message}"
    );
}

#[test]
fn the_sigmoid_model_as_the_7_1_model_is_named_by_its_first_differing_summary_line() {
    let message = wrong(hg_cells::hg_7_1_model(ex08_solved::sigmoid_model));
    assert!(
        message.contains("summary() line") && message.contains("(None, 100)"),
        "{message}"
    );
}

#[test]
fn the_solved_training_cells_train_into_the_books_bands() {
    assert_eq!(hg_cells::hg_7_1_train(ex07_solved::train), Ok(()));
    assert_eq!(hg_cells::hg_7_2_train(ex08_solved::train), Ok(()));
}
