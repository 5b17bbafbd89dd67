//! The book's quizzes (HG 확인 문제) whose answers annlab can compute: each test builds
//! what the question describes and reads the answer off the model, as a learner would
//! with `model.summary()`.

use annlab::prelude::*;

#[test]
fn hg_7_1_a_dense_layer_of_10_units_on_100_inputs_has_1010_parameters() {
    // 100 inputs · 10 units weights + 10 biases = 1,010
    let mut model = Sequential::new(42);
    model.add(
        Dense::new(10)
            .activation(Activation::Softmax)
            .input_shape(&[100]),
    );
    let summary = model.summary().unwrap();
    assert_eq!(model.param_count(), 1_010);
    assert!(
        summary.contains(" Total params: 1,010 "),
        "the summary shows the answer:\n{summary}"
    );
}

#[test]
fn hg_7_2_flatten_turns_a_300_by_300_input_into_90000_features() {
    let mut model = Sequential::new(42);
    model.add(Flatten::new().input_shape(&[300, 300]));
    let summary = model.summary().unwrap();
    assert!(
        summary.contains("(None, 90000)"),
        "the summary shows the flattened shape:\n{summary}"
    );
    assert_eq!(model.param_count(), 0, "Flatten has no parameters to learn");
}
