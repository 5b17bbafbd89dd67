//! The Sequential API's contract: clear errors for what a user can get wrong, and the
//! Keras conveniences (summary, History) behaving as documented.

use annlab::prelude::*;

fn mlp(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(Flatten::new().input_shape(&[2, 2]));
    model.add(Dense::new(3).activation(Activation::Relu));
    model.add(Dense::new(2).activation(Activation::Softmax));
    model
}

fn toy_data() -> (Array3<f32>, Array1<usize>) {
    // Class 1 when the first pixel is bright.
    let x =
        Array3::from_shape_fn(
            (8, 2, 2),
            |(i, r, c)| if r + c == 0 { (i % 2) as f32 } else { 0.3 },
        );
    let y = Array1::from_iter((0..8).map(|i| i % 2));
    (x, y)
}

#[test]
fn a_shape_mismatch_names_the_layer_and_both_shapes() {
    let mut model = Sequential::new(0);
    model.add(Dense::new(10).input_shape(&[28, 28]));
    let err = model.build().unwrap_err().to_string();
    assert!(
        err.contains("dense") && err.contains("(28, 28)") && err.contains("Flatten"),
        "{err}"
    );
}

#[test]
fn a_model_without_an_input_shape_says_how_to_declare_one() {
    let mut model = Sequential::new(0);
    model.add(Dense::new(10));
    let err = model.summary().unwrap_err().to_string();
    assert!(err.contains("input_shape"), "{err}");
}

#[test]
fn fit_before_compile_and_unknown_names_are_clear_errors() {
    let (x, y) = toy_data();
    let mut model = mlp(0);
    let err = model
        .fit(&x, &y, Fit::new(1).verbose(0))
        .unwrap_err()
        .to_string();
    assert!(err.contains("compile"), "{err}");
    let err = model
        .compile(Compile::new("cross_entropy"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("sparse_categorical_crossentropy"), "{err}");
    let err = model
        .compile(Compile::new("mse").optimizer_name("sgdd"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("sgdd") && err.contains("rmsprop"), "{err}");
}

#[test]
fn labels_out_of_range_and_wrong_shapes_are_errors_not_panics() {
    let (x, mut y) = toy_data();
    let mut model = mlp(0);
    model
        .compile(Compile::new("sparse_categorical_crossentropy"))
        .unwrap();
    y[5] = 7;
    let err = model
        .fit(&x, &y, Fit::new(1).verbose(0))
        .unwrap_err()
        .to_string();
    assert!(err.contains("label 7") && err.contains("sample 5"), "{err}");

    let flat = Array2::<f32>::zeros((8, 4));
    let err = model
        .evaluate(&flat, &vec![0usize; 8], 0)
        .unwrap_err()
        .to_string();
    assert!(err.contains("(2, 2)") && err.contains("(8, 4)"), "{err}");

    let err = model
        .fit(&x, &vec![0usize; 3], Fit::new(1).verbose(0))
        .unwrap_err()
        .to_string();
    assert!(err.contains("8 targets"), "{err}");
}

#[test]
fn fit_learns_a_toy_problem_and_the_history_has_keras_keys() {
    let (x, y) = toy_data();
    let mut model = mlp(3);
    model
        .compile(
            Compile::new("sparse_categorical_crossentropy")
                .optimizer(SGD::new().learning_rate(0.5))
                .metrics(&["accuracy"]),
        )
        .unwrap();
    let h = model
        .fit(
            &x,
            &y,
            Fit::new(60)
                .batch_size(4)
                .validation_data(&x, &y)
                .verbose(0),
        )
        .unwrap();
    // Keras 3 sorts its logs by key
    assert_eq!(h.keys(), ["accuracy", "loss", "val_accuracy", "val_loss"]);
    let loss = h.get("loss").unwrap();
    assert!(loss[59] < loss[0] / 4.0, "{loss:?}");
    assert_eq!(h.last("val_accuracy"), Some(1.0));
    // 8 samples in batches of 4: two optimizer steps per epoch.
    assert_eq!(model.optimizer().unwrap().iterations(), 120);
    let p = model.predict(&x).unwrap();
    assert_eq!(p.dim(), (8, 2));
}

#[test]
fn a_confidently_wrong_softmax_gives_a_finite_loss() {
    // Huge inputs saturate the softmax; the fused log-softmax keeps the loss finite.
    let mut model = Sequential::new(0);
    model.add(
        Dense::new(2)
            .activation(Activation::Softmax)
            .input_shape(&[1]),
    );
    model
        .compile(Compile::new("sparse_categorical_crossentropy"))
        .unwrap();
    let x = array![[1.0e4f32], [-1.0e4]];
    for labels in [vec![0usize, 1], vec![1, 0]] {
        let ev = model.evaluate(&x, &labels, 0).unwrap();
        assert!(ev.loss.is_finite(), "{ev:?}");
    }
    let h = model
        .fit(&x, &vec![1usize, 0], Fit::new(2).verbose(0))
        .unwrap();
    assert!(h.get("loss").unwrap().iter().all(|l| l.is_finite()));
}

#[test]
fn summary_lists_layers_with_keras_names_and_totals() {
    let mut model = mlp(0);
    let text = model.summary().unwrap();
    assert!(
        text.contains("flatten (Flatten)") && text.contains("dense_1 (Dense)"),
        "{text}"
    );
    assert!(
        text.contains("(None, 4)") && text.contains("(None, 3)"),
        "{text}"
    );
    // 4·3 + 3 + 3·2 + 2 = 23 parameters, 92 bytes
    assert!(text.contains("Total params: 23 (92.00 B)"), "{text}");
}

#[test]
fn adding_a_layer_after_compile_asks_for_compile_again() {
    let (x, y) = toy_data();
    let mut model = mlp(0);
    model
        .compile(Compile::new("sparse_categorical_crossentropy"))
        .unwrap();
    model.add(ActivationLayer::new(Activation::Relu));
    let err = model
        .fit(&x, &y, Fit::new(1).verbose(0))
        .unwrap_err()
        .to_string();
    assert!(err.contains("compile"), "{err}");
}

#[test]
fn sparse_labels_need_one_output_per_class() {
    // One sigmoid output cannot take class index 1 under sparse cross-entropy.
    let mut model = Sequential::new(0);
    model.add(
        Dense::new(1)
            .activation(Activation::Sigmoid)
            .input_shape(&[2]),
    );
    model
        .compile(Compile::new("sparse_categorical_crossentropy"))
        .unwrap();
    let x = Array2::<f32>::zeros((2, 2));
    let err = model
        .fit(&x, &vec![0usize, 1], Fit::new(1).verbose(0))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("label 1") && err.contains("1 outputs"),
        "{err}"
    );
}

#[test]
fn strided_labels_and_empty_data_are_errors() {
    let (x, _) = toy_data();
    let mut model = mlp(0);
    model
        .compile(Compile::new("sparse_categorical_crossentropy"))
        .unwrap();
    let labels: Array1<usize> = Array1::from_iter((0..16).map(|v| v % 2));
    let every_other = labels.slice_move(s![..;2]); // owned, stride 2
    assert!(
        every_other.as_slice().is_none(),
        "the labels really are strided"
    );
    let err = model.evaluate(&x, &every_other, 0).unwrap_err().to_string();
    assert!(err.contains("contiguous"), "{err}");
    let empty = Array3::<f32>::zeros((0, 2, 2));
    let err = model
        .evaluate(&empty, &Vec::<usize>::new(), 0)
        .unwrap_err()
        .to_string();
    assert!(err.contains("at least one sample"), "{err}");
}

#[test]
fn validation_data_in_fortran_order_is_accepted() {
    let (x, y) = toy_data();
    let x_f = x.t().as_standard_layout().into_owned().reversed_axes(); // same values, F order
    assert!(!x_f.is_standard_layout());
    let mut model = mlp(0);
    model
        .compile(Compile::new("sparse_categorical_crossentropy").metrics(&["accuracy"]))
        .unwrap();
    let h = model
        .fit(&x, &y, Fit::new(1).validation_data(&x_f, &y).verbose(0))
        .unwrap();
    let mut again = mlp(0);
    again
        .compile(Compile::new("sparse_categorical_crossentropy").metrics(&["accuracy"]))
        .unwrap();
    let h2 = again
        .fit(&x, &y, Fit::new(1).validation_data(&x, &y).verbose(0))
        .unwrap();
    assert_eq!(h, h2);
}

#[test]
fn compile_rejects_optimizer_settings_that_would_diverge() {
    let mut model = mlp(0);
    // β₁ = 1 makes Adam's bias correction 1 − β₁ᵗ zero; an infinite rate is no rate.
    let err = model
        .compile(Compile::new("mse").optimizer(Adam::new().beta_1(1.0)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("beta_1") && err.contains("[0, 1)"), "{err}");
    let err = model
        .compile(Compile::new("mse").optimizer(SGD::new().learning_rate(f32::INFINITY)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("learning_rate"), "{err}");
    let err = model
        .compile(Compile::new("mse").optimizer(SGD::new().clipvalue(0.0)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("clip"), "{err}");
}

#[test]
fn a_saturated_wrong_sigmoid_still_learns_through_its_logit() {
    // z = 50·x saturates σ; the labels say the opposite. Clipped probabilities would give
    // no gradient at all; the fused logit path gives σ(z) − y and the weight moves.
    let mut model = Sequential::new(0);
    model.add(
        Dense::new(1)
            .activation(Activation::Sigmoid)
            .input_shape(&[1]),
    );
    model
        .compile(
            Compile::new("binary_crossentropy").optimizer(SGD::new().learning_rate(0.1)),
        )
        .unwrap();
    model
        .set_weights(&[array![[50.0f32]].into_dyn(), array![0.0f32].into_dyn()])
        .unwrap();
    let x = array![[1.0f32], [-1.0]];
    let y = array![[0.0f32], [1.0]];
    let (loss, grads) = model.loss_and_gradients(&x, &y).unwrap();
    // per sample: max(z,0) − z·y + log(1 + e^{−|z|}) = 50 (+ e^{−50}); mean 50
    approx::assert_abs_diff_eq!(loss, 50.0, epsilon = 1e-3);
    // dL/dw = mean((σ(z) − y)·x) = (1·1 + (−1)·(−1)) / 2 = 1
    approx::assert_abs_diff_eq!(grads[0][[0, 0]], 1.0, epsilon = 1e-5);
}
