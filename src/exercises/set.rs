//! `exercise_set!(m)`: every exercise, its checks bound to the functions of the module
//! `m`, whose submodules are the exercise files (`m::ex04_dense::dense_backward`). The
//! library binds it to [`super::reference`], the tests and the grader to the learner's
//! files.

/// The exercises of a set of exercise files, in order, as a `Vec<Exercise>`.
///
/// `$set` names a module in scope with one submodule per file of
/// [`FILES`](crate::exercises::FILES). Each check receives the learner's functions as
/// plain `fn` pointers, so a body with the wrong signature fails to compile with a
/// message naming the function.
#[macro_export]
macro_rules! exercise_set {
    ($set:ident) => {{
        use $crate::exercises::checks;
        use $crate::exercises::Exercise;
        vec![
            Exercise::new(
                "1.1",
                "McCulloch–Pitts gates",
                "ex01_logic_gates.rs",
                "and, or, a_and_not_b",
                &[
                    "mcculloch_pitts::and",
                    "mcculloch_pitts::or",
                    "mcculloch_pitts::a_and_not_b",
                ],
                || {
                    checks::gates::gates(
                        $set::ex01_logic_gates::and,
                        $set::ex01_logic_gates::or,
                        $set::ex01_logic_gates::a_and_not_b,
                    )
                },
            ),
            Exercise::new(
                "1.2",
                "XOR from two layers of neurons",
                "ex01_logic_gates.rs",
                "xor_network",
                &["mcculloch_pitts::xor_network"],
                || checks::gates::xor($set::ex01_logic_gates::xor_network),
            ),
            Exercise::new(
                "2.1",
                "Perceptron learning rule",
                "ex02_perceptron.rs",
                "perceptron_update",
                &["Perceptron::", "perceptron::Perceptron"],
                || {
                    checks::perceptron::update_rule(
                        $set::ex02_perceptron::perceptron_update,
                    )
                },
            ),
            Exercise::new(
                "3.1",
                "Softmax",
                "ex03_softmax_crossentropy.rs",
                "softmax",
                &["softmax_row", "Activation::", "activations::"],
                || checks::softmax::softmax($set::ex03_softmax_crossentropy::softmax),
            ),
            Exercise::new(
                "3.2",
                "Sparse categorical cross-entropy",
                "ex03_softmax_crossentropy.rs",
                "sparse_categorical_crossentropy",
                &["SparseCategoricalCrossentropy", "losses::"],
                || {
                    checks::softmax::crossentropy(
                        $set::ex03_softmax_crossentropy::sparse_categorical_crossentropy,
                    )
                },
            ),
            Exercise::new(
                "3.3",
                "Gradient of softmax + cross-entropy",
                "ex03_softmax_crossentropy.rs",
                "softmax_crossentropy_gradient",
                &[
                    "SparseCategoricalCrossentropy",
                    "losses::",
                    "softmax_row",
                    "activations::",
                ],
                || {
                    checks::softmax::gradient(
                        $set::ex03_softmax_crossentropy::softmax_crossentropy_gradient,
                    )
                },
            ),
            Exercise::new(
                "4.1",
                "Dense forward pass",
                "ex04_dense.rs",
                "dense_forward",
                &["Dense::", "layers::", "simd::"],
                || checks::dense::forward($set::ex04_dense::dense_forward),
            ),
            Exercise::new(
                "4.2",
                "Dense backward pass",
                "ex04_dense.rs",
                "dense_backward",
                &["Dense::", "layers::", "simd::"],
                || checks::dense::backward($set::ex04_dense::dense_backward),
            ),
            Exercise::new(
                "5.1",
                "ReLU derivative",
                "ex05_activations.rs",
                "relu_backward",
                &["Activation::", "activations::"],
                || checks::activations::relu($set::ex05_activations::relu_backward),
            ),
            Exercise::new(
                "5.2",
                "Sigmoid derivative",
                "ex05_activations.rs",
                "sigmoid_backward",
                &["Activation::", "activations::"],
                || checks::activations::sigmoid($set::ex05_activations::sigmoid_backward),
            ),
            Exercise::new(
                "6.1",
                "SGD with momentum (Keras)",
                "ex06_optimizers.rs",
                "sgd_step",
                &["optimizers::", "SGD::", "Optimizer"],
                || checks::optimizers::sgd($set::ex06_optimizers::sgd_step),
            ),
            Exercise::new(
                "6.2",
                "RMSprop (Keras)",
                "ex06_optimizers.rs",
                "rmsprop_step",
                &["optimizers::", "RMSprop::", "Optimizer"],
                || checks::optimizers::rmsprop($set::ex06_optimizers::rmsprop_step),
            ),
            Exercise::new(
                "6.3",
                "Adam (Keras)",
                "ex06_optimizers.rs",
                "adam_step",
                &["optimizers::", "Adam::", "Optimizer"],
                || checks::optimizers::adam($set::ex06_optimizers::adam_step),
            ),
            Exercise::new(
                "7.1",
                "HG 7-1 model",
                "ex07_hg_7_1.rs",
                "model",
                &[],
                || checks::hg_cells::hg_7_1_model($set::ex07_hg_7_1::model),
            ),
            Exercise::new(
                "7.2",
                "HG 7-1 training cell",
                "ex07_hg_7_1.rs",
                "train",
                &[],
                || checks::hg_cells::hg_7_1_train($set::ex07_hg_7_1::train),
            ),
            Exercise::new(
                "8.1",
                "HG 7-2 sigmoid model",
                "ex08_hg_7_2.rs",
                "sigmoid_model",
                &[],
                || {
                    checks::hg_cells::hg_7_2_sigmoid_model(
                        $set::ex08_hg_7_2::sigmoid_model,
                    )
                },
            ),
            Exercise::new(
                "8.2",
                "HG 7-2 relu model",
                "ex08_hg_7_2.rs",
                "relu_model",
                &[],
                || checks::hg_cells::hg_7_2_relu_model($set::ex08_hg_7_2::relu_model),
            ),
            Exercise::new(
                "8.3",
                "HG 7-2 training cell",
                "ex08_hg_7_2.rs",
                "train",
                &[],
                || checks::hg_cells::hg_7_2_train($set::ex08_hg_7_2::train),
            ),
            Exercise::new(
                "9.1",
                "Dropout forward pass",
                "ex09_dropout.rs",
                "dropout_forward",
                &["Dropout::", "layers::"],
                || checks::dropout::forward($set::ex09_dropout::dropout_forward),
            ),
            Exercise::new(
                "9.2",
                "Dropout backward pass",
                "ex09_dropout.rs",
                "dropout_backward",
                &["Dropout::", "layers::"],
                || checks::dropout::backward($set::ex09_dropout::dropout_backward),
            ),
            Exercise::new(
                "10.1",
                "EarlyStopping callback",
                "ex10_early_stopping.rs",
                "EarlyStopping",
                &["callbacks::EarlyStopping", "prelude::EarlyStopping"],
                || {
                    checks::early_stopping::early_stopping(|patience, restore| {
                        Box::new($set::ex10_early_stopping::EarlyStopping::new(
                            patience, restore,
                        ))
                    })
                },
            ),
        ]
    }};
}
