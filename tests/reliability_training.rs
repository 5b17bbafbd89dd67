//! Issue 9, the training path: no panic, abort or silently wrong figure on any bad input
//! to compile / fit / evaluate / predict / loss_and_gradients. Every bad input is a
//! clear `Err` that says what is wrong and what to do; a diverging run reports NaN.

use std::io::Write;
use std::sync::{Arc, Mutex};

use annlab::callbacks::ProgbarLogger;
use annlab::prelude::*;

/// 12 samples of 4 features in [0, 1]; class = (i mod 3), so every class is present.
fn data() -> (Array2<f32>, Vec<usize>) {
    let x = Array2::from_shape_fn((12, 4), |(i, j)| ((i * 7 + j * 5) % 11) as f32 / 10.0);
    let y = (0..12).map(|i| i % 3).collect();
    (x, y)
}

/// The labels of `data` as one-hot rows of width `classes`.
fn one_hot(labels: &[usize], classes: usize) -> Array2<f32> {
    Array2::from_shape_fn((labels.len(), classes), |(i, k)| {
        f32::from(u8::from(labels[i] == k))
    })
}

/// Dense(units, activation) on 4 inputs, compiled with `loss` (and `metrics`), SGD(0.1).
fn one_layer(
    units: usize,
    activation: Activation,
    loss: &str,
    metrics: &[&str],
) -> Sequential {
    let mut model = Sequential::new(0);
    model.add(Dense::new(units).activation(activation).input_shape(&[4]));
    let spec = Compile::new(loss)
        .optimizer(SGD::new().learning_rate(0.1))
        .metrics(metrics);
    model.compile(spec).expect("compiles");
    model
}

/// 4 → Dense(8, relu) → Dense(3, softmax), sparse cross-entropy, SGD at `lr`.
fn relu_classifier(lr: f32, metrics: &[&str]) -> Sequential {
    let mut model = Sequential::new(1);
    model.add(Dense::new(8).activation(Activation::Relu).input_shape(&[4]));
    model.add(Dense::new(3).activation(Activation::Softmax));
    let spec = Compile::new("sparse_categorical_crossentropy")
        .optimizer(SGD::new().learning_rate(lr))
        .metrics(metrics);
    model.compile(spec).expect("compiles");
    model
}

/// 4 → Dense(8) → Dense(3, softmax), sparse cross-entropy, SGD at `lr`: at lr 1e6 the
/// two linear maps feed each other's gradients and overflow to inf, then NaN.
fn linear_hidden_classifier(lr: f32, metrics: &[&str]) -> Sequential {
    let mut model = Sequential::new(1);
    model.add(Dense::new(8).input_shape(&[4]));
    model.add(Dense::new(3).activation(Activation::Softmax));
    let spec = Compile::new("sparse_categorical_crossentropy")
        .optimizer(SGD::new().learning_rate(lr))
        .metrics(metrics);
    model.compile(spec).expect("compiles");
    model
}

fn quiet<'a>(epochs: usize) -> Fit<'a> {
    Fit::new(epochs).batch_size(4).verbose(0)
}

/// Every weight of `model` set to NaN in its first tensor (the first kernel).
fn poison_first_kernel(model: &mut Sequential) {
    let mut w = model.get_weights();
    w[0].fill(f32::NAN);
    model.set_weights(&w).expect("same shapes");
}

// ---- case 1: targets against the loss and the output width ----

#[test]
fn categorical_crossentropy_on_one_output_with_integer_labels_is_an_error_not_a_panic() {
    let (x, _) = data();
    let y: Vec<usize> = (0..12).map(|i| i % 2).collect();
    let mut model = one_layer(1, Activation::Sigmoid, "categorical_crossentropy", &[]);
    let err = model.fit(&x, &y, quiet(1)).unwrap_err().to_string();
    assert!(
        err.contains("categorical_crossentropy expects one-hot")
            && err.contains("integer class labels")
            && err.contains("binary_crossentropy"),
        "{err}"
    );
    let err = model.evaluate(&x, &y, 0).unwrap_err().to_string();
    assert!(err.contains("integer class labels"), "{err}");
    let err = model.loss_and_gradients(&x, &y).unwrap_err().to_string();
    assert!(err.contains("integer class labels"), "{err}");
}

#[test]
fn integer_labels_for_categorical_crossentropy_are_an_error_suggesting_the_sparse_loss() {
    let (x, y) = data();
    let mut model = one_layer(3, Activation::Softmax, "categorical_crossentropy", &[]);
    let before = model.get_weights();
    let err = model.fit(&x, &y, quiet(1)).unwrap_err().to_string();
    assert!(
        err.contains("use sparse_categorical_crossentropy for integer labels"),
        "{err}"
    );
    assert_eq!(model.get_weights(), before, "nothing trained");
    // the same targets one-hot encoded train
    model
        .fit(&x, &one_hot(&y, 3), quiet(1))
        .expect("one-hot rows fit");
}

#[test]
fn a_one_hot_matrix_for_sparse_categorical_crossentropy_is_an_error_suggesting_categorical(
) {
    let (x, y) = data();
    let mut model = one_layer(
        3,
        Activation::Softmax,
        "sparse_categorical_crossentropy",
        &[],
    );
    let err = model
        .fit(&x, &one_hot(&y, 3), quiet(1))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("sparse_categorical_crossentropy expects integer class labels")
            && err.contains("one-hot matrix of width 3")
            && err.contains("use categorical_crossentropy"),
        "{err}"
    );
    let err = model
        .evaluate(&x, &one_hot(&y, 3), 0)
        .unwrap_err()
        .to_string();
    assert!(err.contains("one-hot matrix of width 3"), "{err}");
    // a float matrix that is not one-hot is refused too, as not labels
    let soft = Array2::from_elem((12, 3), 1.0f32 / 3.0);
    let err = model.fit(&x, &soft, quiet(1)).unwrap_err().to_string();
    assert!(
        err.contains("expects integer class labels") && err.contains("matrix of width 3"),
        "{err}"
    );
}

#[test]
fn one_hot_rows_of_the_wrong_width_are_an_error_naming_both_widths() {
    let (x, y) = data();
    let mut model = one_layer(3, Activation::Softmax, "categorical_crossentropy", &[]);
    let err = model
        .fit(&x, &one_hot(&y, 10), quiet(1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("3") && err.contains("10"), "{err}");
}

#[test]
fn categorical_crossentropy_rows_that_are_not_distributions_are_an_error_naming_the_row()
{
    let (x, y) = data();
    let mut model = one_layer(3, Activation::Softmax, "categorical_crossentropy", &[]);
    let mut t = one_hot(&y, 3);
    t[[5, 0]] = 1.0; // row 5 sums to 2
    let err = model.fit(&x, &t, quiet(1)).unwrap_err().to_string();
    assert!(err.contains("row 5") && err.contains("sum to 1"), "{err}");
    let mut t = one_hot(&y, 3);
    t[[7, 0]] = -0.5; // row 7 has a negative probability
    t[[7, 1]] += 0.5;
    let err = model.fit(&x, &t, quiet(1)).unwrap_err().to_string();
    assert!(err.contains("row 7") && err.contains("-0.5"), "{err}");
    // label smoothing (0.9 on the class, 0.05 elsewhere) is a distribution: accepted
    let smooth = one_hot(&y, 3).mapv(|v| if v == 1.0 { 0.9 } else { 0.05 });
    model
        .fit(&x, &smooth, quiet(1))
        .expect("smoothed targets fit");
}

#[test]
fn binary_crossentropy_targets_outside_zero_one_are_an_error_naming_row_and_column() {
    let (x, _) = data();
    let mut model = one_layer(2, Activation::Sigmoid, "binary_crossentropy", &[]);
    let mut t = Array2::<f32>::zeros((12, 2));
    t[[3, 1]] = 2.0;
    let err = model.fit(&x, &t, quiet(1)).unwrap_err().to_string();
    assert!(
        err.contains("binary_crossentropy")
            && err.contains("[0, 1]")
            && err.contains("row 3, column 1")
            && err.contains('2'),
        "{err}"
    );
    // labels 0/1 on one output are fine, a label 2 is not
    let mut model = one_layer(1, Activation::Sigmoid, "binary_crossentropy", &[]);
    let mut labels: Vec<usize> = (0..12).map(|i| i % 2).collect();
    model.fit(&x, &labels, quiet(1)).expect("0/1 labels fit");
    labels[4] = 2;
    let err = model.fit(&x, &labels, quiet(1)).unwrap_err().to_string();
    assert!(err.contains("label 2") && err.contains("sample 4"), "{err}");
}

#[test]
fn binary_crossentropy_with_several_outputs_refuses_class_labels() {
    // 3 sigmoid outputs are 3 independent yes/no answers: class indices do not say which
    let (x, y) = data();
    let mut model = one_layer(3, Activation::Sigmoid, "binary_crossentropy", &[]);
    let err = model.fit(&x, &y, quiet(1)).unwrap_err().to_string();
    assert!(
        err.contains("binary_crossentropy")
            && err.contains("rows of 3 values")
            && err.contains("sparse_categorical_crossentropy"),
        "{err}"
    );
}

#[test]
fn categorical_losses_on_a_one_unit_output_are_an_error_suggesting_binary_crossentropy() {
    // all labels 0 fit the range 0..=0, but a softmax over one unit is always 1
    let (x, _) = data();
    let mut model = one_layer(
        1,
        Activation::Softmax,
        "sparse_categorical_crossentropy",
        &[],
    );
    let err = model
        .fit(&x, &vec![0usize; 12], quiet(1))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("one unit per class (at least 2)")
            && err.contains("binary_crossentropy"),
        "{err}"
    );
    let mut model = one_layer(1, Activation::Softmax, "categorical_crossentropy", &[]);
    let err = model
        .evaluate(&x, &Array2::<f32>::ones((12, 1)), 0)
        .unwrap_err()
        .to_string();
    assert!(err.contains("one unit per class (at least 2)"), "{err}");
}

#[test]
fn a_column_of_class_values_for_the_sparse_loss_says_how_to_pass_labels() {
    let (x, y) = data();
    let column = Array2::from_shape_fn((12, 1), |(i, _)| y[i] as f32);
    let mut model = one_layer(
        3,
        Activation::Softmax,
        "sparse_categorical_crossentropy",
        &[],
    );
    let err = model.fit(&x, &column, quiet(1)).unwrap_err().to_string();
    assert!(
        err.contains("a column of values") && err.contains("as usize"),
        "{err}"
    );
}

#[test]
fn arg_max_accuracies_on_a_one_unit_output_are_an_error_at_compile() {
    for metric in ["categorical_accuracy", "sparse_categorical_accuracy"] {
        let mut model = Sequential::new(0);
        model.add(
            Dense::new(1)
                .activation(Activation::Sigmoid)
                .input_shape(&[4]),
        );
        let err = model
            .compile(Compile::new("binary_crossentropy").metrics(&[metric]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(metric) && err.contains("\"binary_accuracy\""),
            "{err}"
        );
    }
}

#[test]
fn validation_targets_that_do_not_fit_the_loss_are_an_error_before_training() {
    let (x, y) = data();
    let mut model = one_layer(
        3,
        Activation::Softmax,
        "sparse_categorical_crossentropy",
        &[],
    );
    let before = model.get_weights();
    let yv = one_hot(&y, 3);
    let err = model
        .fit(&x, &y, quiet(2).validation_data(&x, &yv))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("validation_data") && err.contains("one-hot matrix of width 3"),
        "{err}"
    );
    assert_eq!(model.get_weights(), before, "nothing trained");
}

#[test]
fn regression_losses_read_integer_labels_on_one_output_as_values() {
    // y = 0, 3, 6, 9, … as labels: the values themselves, not classes 0..=1
    let (x, _) = data();
    let labels: Vec<usize> = (0..12).map(|i| 3 * (i % 4)).collect();
    let values = Array2::from_shape_fn((12, 1), |(i, _)| labels[i] as f32);
    let mut a = one_layer(1, Activation::Linear, "mse", &[]);
    let mut b = one_layer(1, Activation::Linear, "mse", &[]);
    let ha = a.fit(&x, &labels, quiet(2)).expect("labels as values");
    let hb = b.fit(&x, &values, quiet(2)).expect("values");
    assert_eq!(ha, hb);
}

// ---- case 2: non-finite values ----

#[test]
fn a_nan_in_x_is_an_error_naming_row_and_column() {
    let (mut x, y) = data();
    x[[6, 2]] = f32::NAN;
    x[[9, 0]] = f32::NAN; // only the first is named
    let mut model = relu_classifier(0.1, &[]);
    let before = model.get_weights();
    for err in [
        model.fit(&x, &y, quiet(1)).unwrap_err(),
        model.evaluate(&x, &y, 0).unwrap_err(),
        model.predict(&x).unwrap_err(),
        model.loss_and_gradients(&x, &y).unwrap_err(),
    ] {
        let err = err.to_string();
        assert!(
            err.contains("NaN at row 6, column 2") && err.contains("finite"),
            "{err}"
        );
    }
    assert_eq!(model.get_weights(), before, "nothing trained");
}

#[test]
fn an_infinity_in_x_of_several_axes_names_the_sample_and_its_index() {
    let mut model = Sequential::new(0);
    model.add(Flatten::new().input_shape(&[2, 3]));
    model.add(Dense::new(2).activation(Activation::Softmax));
    model
        .compile(Compile::new("sparse_categorical_crossentropy"))
        .unwrap();
    let mut x = Array3::<f32>::zeros((5, 2, 3));
    x[[4, 1, 0]] = f32::NEG_INFINITY;
    let err = model.predict(&x).unwrap_err().to_string();
    // flattened column 1·3 + 0 = 3, index (1, 0) within the sample
    assert!(
        err.contains("-inf at row 4, column 3") && err.contains("(1, 0)"),
        "{err}"
    );
}

#[test]
fn a_non_finite_dense_target_is_an_error_naming_row_and_column() {
    let (x, _) = data();
    let mut model = one_layer(2, Activation::Linear, "mse", &[]);
    let mut t = Array2::<f32>::ones((12, 2));
    t[[11, 1]] = f32::INFINITY;
    let err = model.fit(&x, &t, quiet(1)).unwrap_err().to_string();
    assert!(
        err.contains("y for fit") && err.contains("inf at row 11, column 1"),
        "{err}"
    );
    let err = model.evaluate(&x, &t, 0).unwrap_err().to_string();
    assert!(err.contains("inf at row 11, column 1"), "{err}");
}

#[test]
fn a_nan_in_validation_data_is_an_error_before_training() {
    let (x, y) = data();
    let mut xv = x.clone();
    xv[[2, 3]] = f32::NAN;
    let mut model = relu_classifier(0.1, &[]);
    let before = model.get_weights();
    let err = model
        .fit(&x, &y, quiet(1).validation_data(&xv, &y))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("x of validation_data") && err.contains("NaN at row 2, column 3"),
        "{err}"
    );
    assert_eq!(model.get_weights(), before, "nothing trained");
    // NaN in dense validation targets too
    let mut model = one_layer(2, Activation::Linear, "mse", &[]);
    let t = Array2::<f32>::ones((12, 2));
    let mut tv = t.clone();
    tv[[0, 0]] = f32::NAN;
    let err = model
        .fit(&x, &t, quiet(1).validation_data(&x, &tv))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("y of validation_data") && err.contains("NaN at row 0, column 0"),
        "{err}"
    );
}

// ---- case 3: activations propagate NaN ----

#[test]
fn relu_of_nan_is_nan_and_so_is_its_derivative() {
    assert!(Activation::Relu.scalar(f32::NAN).is_nan());
    let mut z = array![[f32::NAN, -1.0, 2.0]];
    Activation::Relu.forward_inplace(z.view_mut());
    assert!(z[[0, 0]].is_nan());
    assert_eq!((z[[0, 1]], z[[0, 2]]), (0.0, 2.0));
    let mut dz = Array2::<f32>::zeros((1, 3));
    Activation::Relu.backward(z.view(), array![[1.0f32, 1.0, 1.0]].view(), dz.view_mut());
    assert!(dz[[0, 0]].is_nan());
    assert_eq!((dz[[0, 1]], dz[[0, 2]]), (0.0, 1.0));
    // a NaN gradient reaching an inactive unit stays NaN (0 · NaN is NaN)
    Activation::Relu.backward(
        z.view(),
        array![[1.0f32, f32::NAN, 1.0]].view(),
        dz.view_mut(),
    );
    assert!(dz[[0, 1]].is_nan());
}

#[test]
fn a_relu_model_with_a_nan_weight_predicts_nan_and_reports_a_nan_loss() {
    let (x, y) = data();
    let mut model = relu_classifier(0.1, &[]);
    poison_first_kernel(&mut model);
    let p = model.predict(&x).unwrap();
    assert!(p.iter().all(|v| v.is_nan()), "{p:?}");
    let ev = model.evaluate(&x, &y, 0).unwrap();
    assert!(ev.loss.is_nan(), "{ev:?}");
}

#[test]
fn every_loss_gives_a_nan_value_and_gradient_for_a_nan_prediction() {
    use annlab::losses::{from_name, NAMES};
    let p = array![[f32::NAN, 0.5], [0.25, 0.5]];
    let y = array![[1.0f32, 0.0], [0.0, 1.0]];
    for name in NAMES {
        let loss = from_name(name).unwrap();
        let t = Targets::Dense(y.view());
        assert!(loss.value(p.view(), &t).is_nan(), "{name}");
        let mut g = Array2::<f32>::zeros((2, 2));
        loss.gradient(p.view(), &t, g.view_mut());
        assert!(g[[0, 0]].is_nan(), "{name}: {g:?}");
    }
}

// ---- case 4: diverging runs, TerminateOnNaN, NaN predictions in metrics ----

/// A writer the test keeps a handle on, to read what a progress bar printed.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_diverging_run_returns_ok_with_nan_losses_shown_as_nan() {
    let (x, y) = data();
    let mut model = linear_hidden_classifier(1e6, &["accuracy"]);
    let out = Shared::default();
    let mut bar = ProgbarLogger::to_writer(2, Box::new(out.clone()), false);
    let h = model
        .fit(&x, &y, quiet(6).callback(&mut bar))
        .expect("a diverging run is not an error");
    let loss = h.get("loss").unwrap();
    assert_eq!(loss.len(), 6);
    assert!(loss[5].is_nan(), "{loss:?}");
    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    let last = text.lines().last().unwrap();
    assert!(last.contains("loss: nan"), "{text}");
    // a model whose outputs are NaN gets no sample right
    assert!(last.contains("accuracy: 0.0000e+00"), "{text}");
}

#[test]
fn terminate_on_nan_stops_a_diverging_run_cleanly() {
    let (x, y) = data();
    let mut model = linear_hidden_classifier(1e6, &[]);
    let mut stop = TerminateOnNaN::new();
    let h = model
        .fit(&x, &y, quiet(50).callback(&mut stop))
        .expect("a clean stop");
    let (epoch, _) = stop.terminated_at().expect("stopped on the NaN loss");
    assert_eq!(h.epochs(), epoch + 1, "the stopping epoch is the last");
    assert!(h.last("loss").unwrap().is_nan());
    assert!(epoch < 49);
}

#[test]
fn terminate_on_nan_stops_a_relu_model_whose_weights_turned_nan() {
    // Before relu propagated NaN, this model's loss stayed finite: relu(NaN) was 0.
    let (x, y) = data();
    let mut model = relu_classifier(0.1, &[]);
    poison_first_kernel(&mut model);
    let mut stop = TerminateOnNaN::new();
    let h = model
        .fit(&x, &y, quiet(5).callback(&mut stop))
        .expect("a clean stop");
    assert_eq!(stop.terminated_at(), Some((0, 0)));
    assert_eq!(h.epochs(), 1);
    assert!(h.last("loss").unwrap().is_nan());
}

#[test]
fn a_nan_epoch_is_never_the_best_for_early_stopping_or_model_checkpoint() {
    let (x, y) = data();
    let mut model = relu_classifier(0.1, &[]);
    poison_first_kernel(&mut model);
    let path = std::env::temp_dir().join(format!(
        "annlab-nan-best-{}.weights.safetensors",
        std::process::id()
    ));
    let mut checkpoint = ModelCheckpoint::new(&path)
        .monitor("loss")
        .save_best_only(true);
    let mut early = EarlyStopping::new().monitor("loss").patience(2);
    let h = model
        .fit(
            &x,
            &y,
            quiet(5).callback(&mut checkpoint).callback(&mut early),
        )
        .expect("NaN losses are figures, not errors");
    assert!(h.get("loss").unwrap().iter().all(|l| l.is_nan()));
    assert_eq!((checkpoint.writes(), checkpoint.best()), (0, None));
    let written = path.exists();
    let _ = std::fs::remove_file(&path);
    assert!(!written, "no NaN model written as the best");
    assert_eq!(early.best(), None);
    assert_eq!(h.epochs(), 2, "two epochs without improvement, patience 2");
}

#[test]
fn evaluate_never_counts_a_nan_prediction_as_class_zero() {
    // all labels 0: argmax of a NaN row was 0, so every sample used to be "right"
    let (x, _) = data();
    let zeros = vec![0usize; 12];
    let mut model = relu_classifier(0.1, &["accuracy", "sparse_categorical_accuracy"]);
    poison_first_kernel(&mut model);
    let ev = model.evaluate(&x, &zeros, 0).unwrap();
    assert_eq!(ev.metric("accuracy"), Some(0.0), "{ev:?}");
    assert_eq!(
        ev.metric("sparse_categorical_accuracy"),
        Some(0.0),
        "{ev:?}"
    );
    let mut model = relu_classifier(0.1, &["categorical_accuracy"]);
    poison_first_kernel(&mut model);
    let ev = model.evaluate(&x, &zeros, 0).unwrap();
    assert_eq!(ev.metric("categorical_accuracy"), Some(0.0), "{ev:?}");
    // one sigmoid output: NaN > 0.5 is false, which read as "predicted 0"
    let mut model = one_layer(
        1,
        Activation::Sigmoid,
        "binary_crossentropy",
        &["accuracy", "binary_accuracy"],
    );
    poison_first_kernel(&mut model);
    let ev = model.evaluate(&x, &zeros, 0).unwrap();
    assert_eq!(ev.metric("accuracy"), Some(0.0), "{ev:?}");
    assert_eq!(ev.metric("binary_accuracy"), Some(0.0), "{ev:?}");
}

// ---- case 5: duplicate metrics ----

#[test]
fn the_same_metric_twice_is_an_error_at_compile() {
    for metrics in [
        &["accuracy", "accuracy"][..],
        &["acc", "accuracy"],
        &["mse", "mean_squared_error"],
        &["mae", "accuracy", "mae"],
    ] {
        let mut model = Sequential::new(0);
        model.add(Dense::new(2).input_shape(&[4]));
        let err = model
            .compile(Compile::new("mse").metrics(metrics))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("twice") && err.contains(metrics[0]),
            "{metrics:?}: {err}"
        );
    }
}

// ---- case 6: a single sample where a batch is expected ----

#[test]
fn a_single_sample_given_as_x_says_to_add_the_batch_axis() {
    let mut model = relu_classifier(0.1, &[]);
    let sample = array![0.1f32, 0.2, 0.3, 0.4];
    let err = model.predict(&sample).unwrap_err().to_string();
    assert!(
        err.contains("a single sample of shape (4,)")
            && err.contains("(None, 4)")
            && err.contains("insert_axis(Axis(0))")
            && err.contains("(1, 4)"),
        "{err}"
    );
    let err = model
        .fit(&sample, &vec![0usize], quiet(1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("a single sample of shape (4,)"), "{err}");
    // a 1-D array of another length is not a sample of this model
    let err = model
        .predict(&array![1.0f32, 2.0, 3.0])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("(None, 4)")
            && err.contains("(3,)")
            && !err.contains("single sample"),
        "{err}"
    );
}

// ---- other holes a demanding user finds ----

#[test]
fn x_and_y_of_different_lengths_are_an_error_naming_both_counts() {
    let (x, y) = data();
    let mut model = relu_classifier(0.1, &[]);
    let err = model.fit(&x, &y[..10], quiet(1)).unwrap_err().to_string();
    assert!(err.contains("12") && err.contains("10"), "{err}");
    let err = model
        .fit(&x, &y, quiet(1).validation_data(&x, &y[..5]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("validation_data") && err.contains('5'),
        "{err}"
    );
}

#[test]
fn empty_data_is_an_error_for_fit_evaluate_and_validation_but_predict_gives_no_rows() {
    let (x, y) = data();
    let empty = Array2::<f32>::zeros((0, 4));
    let none: Vec<usize> = Vec::new();
    let mut model = relu_classifier(0.1, &[]);
    for err in [
        model.fit(&empty, &none, quiet(1)).unwrap_err(),
        model.evaluate(&empty, &none, 0).unwrap_err(),
        model
            .fit(&x, &y, quiet(1).validation_data(&empty, &none))
            .unwrap_err(),
    ] {
        assert!(err.to_string().contains("at least one sample"), "{err}");
    }
    assert_eq!(model.predict(&empty).unwrap().dim(), (0, 3));
}

#[test]
fn batch_size_zero_is_an_error_and_zero_epochs_train_nothing() {
    let (x, y) = data();
    let mut model = relu_classifier(0.1, &[]);
    let err = model
        .fit(&x, &y, quiet(1).batch_size(0))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("batch_size") && err.contains("at least 1"),
        "{err}"
    );
    let before = model.get_weights();
    let h = model
        .fit(&x, &y, quiet(0))
        .expect("zero epochs is Keras's no-op");
    assert_eq!(h.epochs(), 0);
    assert!(h.keys().is_empty());
    assert_eq!(model.get_weights(), before);
    assert_eq!(model.optimizer().unwrap().iterations(), 0);
}

#[test]
fn validation_data_of_the_wrong_width_is_an_error_naming_both_shapes() {
    let (x, y) = data();
    let xv = Array2::<f32>::zeros((12, 5));
    let mut model = relu_classifier(0.1, &[]);
    let err = model
        .fit(&x, &y, quiet(1).validation_data(&xv, &y))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("x of validation_data")
            && err.contains("(None, 4)")
            && err.contains("(12, 5)"),
        "{err}"
    );
}
