//! `sample_weight`, `class_weight` and weighted evaluation (issue 15), with Keras 3's
//! reduction: a batch's loss is Σᵢ wᵢ·ℓᵢ / B ("sum_over_batch_size"), the epoch's the
//! mean of batch losses weighted by B, `weighted_metrics` Σ w·v / Σ w while plain
//! `metrics` ignore the weights, and the weight penalty is added once, unweighted.
//! Checked by hand and against Keras 3 (`keras/sample_weight.py`).

use annlab::prelude::*;
use annlab::regularizers::l2;
use ndarray::{Array1, Array2, ArrayD};

fn tensor(values: &[f32], shape: &[usize]) -> ArrayD<f32> {
    ArrayD::from_shape_vec(shape, values.to_vec()).expect("values fit the shape")
}

/// The case of `keras/sample_weight.py`: Dense(3, softmax) on 2 features,
/// W = [[0.5, −0.25, 0], [0, 0.5, −0.5]], b = 0; sparse categorical cross-entropy,
/// SGD(0.1), `metrics=["accuracy"]`, `weighted_metrics=["accuracy"]`.
fn model(penalty: Option<f32>) -> Sequential {
    let mut model = Sequential::new(0);
    let dense = Dense::new(3)
        .activation(Activation::Softmax)
        .input_shape(&[2]);
    model.add(match penalty {
        Some(lambda) => dense.kernel_regularizer(l2(lambda)),
        None => dense,
    });
    model
        .compile(
            Compile::new("sparse_categorical_crossentropy")
                .optimizer(SGD::new().learning_rate(0.1))
                .metrics(&["accuracy"])
                .weighted_metrics(&["accuracy"]),
        )
        .unwrap();
    model
        .set_weights(&[
            tensor(&[0.5, -0.25, 0.0, 0.0, 0.5, -0.5], &[2, 3]),
            tensor(&[0.0, 0.0, 0.0], &[3]),
        ])
        .unwrap();
    model
}

fn data() -> (Array2<f32>, Vec<usize>, Array1<f32>) {
    let x = array![[1.0f32, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]];
    (x, vec![0, 1, 2, 1], array![1.0f32, 2.0, 0.0, 0.5])
}

fn quiet() -> Evaluate {
    Evaluate::new().verbose(0)
}

fn one_step(model: &mut Sequential, fit: Fit) -> History {
    let (x, y, _) = data();
    model
        .fit(&x, &y, fit.batch_size(4).shuffle(false).verbose(0))
        .unwrap()
}

fn weights(model: &Sequential) -> Vec<f32> {
    model
        .get_weights()
        .iter()
        .flat_map(|w| w.iter().copied())
        .collect()
}

fn close(found: &[f32], expected: &[f64], tolerance: f64) {
    assert_eq!(found.len(), expected.len());
    for (a, b) in found.iter().zip(expected) {
        assert!(
            (f64::from(*a) - b).abs() < tolerance,
            "{found:?} vs {expected:?}"
        );
    }
}

#[test]
fn four_weighted_samples_give_the_hand_computed_loss_accuracy_and_gradient() {
    // z = x·W: [0.5, −0.25, 0], [0, 0.5, −0.5], [0.5, 0.25, −0.5], [−0.5, 0.5, −0.25];
    // ℓᵢ = log Σ e^z − z_label = 0.73183757, 0.68026967, 1.76392257, 0.60989926;
    // w = [1, 2, 0, 0.5]: loss = (0.73183757 + 2·0.68026967 + 0 + 0.5·0.60989926) / 4
    //   = 0.59933163 (unweighted mean 0.94648226).
    // arg-max = 0, 1, 0, 1 against labels 0, 1, 2, 1: accuracy 3/4 (Keras's plain
    // metric ignores the weights), weighted (1 + 2 + 0.5) / (1 + 2 + 0 + 0.5) = 1.
    let (x, y, w) = data();
    let mut m = model(None);
    let ev = m.evaluate_with(&x, &y, quiet().sample_weight(&w)).unwrap();
    assert!((ev.loss - 0.5993316338980419).abs() < 1e-7, "{ev:?}");
    assert_eq!(ev.metric("accuracy"), Some(0.75));
    assert_eq!(ev.metric("weighted_accuracy"), Some(1.0));
    let plain = m.evaluate_with(&x, &y, quiet()).unwrap();
    assert!((plain.loss - 0.9464822648835044).abs() < 1e-7);
    assert_eq!(plain.metric("weighted_accuracy"), Some(0.75));
    // dL/dz_i = wᵢ·(softmax(zᵢ) − onehot(yᵢ)) / 4, dL/dW = Σ xᵢᵀ dL/dzᵢ, dL/db = Σ dL/dzᵢ:
    // dW = [−0.1547324, 0.11387924, 0.04085316, 0.16609218, −0.27529695, 0.10920478],
    // db = [0.04884248, −0.24702916, 0.19818668]; one SGD(0.1) step: w − 0.1·g
    let history = one_step(&mut m, Fit::new(1).sample_weight(&w));
    assert!((history.last("loss").unwrap() - 0.5993316338980419).abs() < 1e-7);
    assert_eq!(history.last("accuracy"), Some(0.75));
    assert_eq!(history.last("weighted_accuracy"), Some(1.0));
    let hand = [
        0.51547324,
        -0.26138792,
        -0.00408532,
        -0.01660922,
        0.5275297,
        -0.51092048,
        -0.00488425,
        0.02470292,
        -0.01981867,
    ];
    close(&weights(&m), &hand, 1e-7);
}

#[test]
fn weighted_fit_evaluate_and_validation_give_keras_3_s_figures() {
    // figures printed by keras/sample_weight.py (Keras 3.15.1, jax backend)
    let (x, y, w) = data();
    let mut m = model(None);
    let ev = m.evaluate_with(&x, &y, quiet().sample_weight(&w)).unwrap();
    assert!((ev.loss - 0.5993316173553467).abs() < 1e-6);
    // train_on_batch(x, y, sample_weight=w): the weights after one SGD step
    let keras_step = [
        0.515473247,
        -0.261387914,
        -0.00408531679,
        -0.0166092198,
        0.527529716,
        -0.510920465,
        -0.0048842486,
        0.0247029159,
        -0.0198186692,
    ];
    one_step(&mut m, Fit::new(1).sample_weight(&w));
    close(&weights(&m), &keras_step, 1e-6);
    // fit(batch_size=2, shuffle=False): loss is the batch-size-weighted mean of the two
    // batches' Σ w·ℓ / 2
    let mut m = model(None);
    let history = m
        .fit(
            &x,
            &y,
            Fit::new(1)
                .batch_size(2)
                .shuffle(false)
                .verbose(0)
                .sample_weight(&w),
        )
        .unwrap();
    assert!((history.last("loss").unwrap() - 0.5932471752166748).abs() < 1e-6);
    assert_eq!(history.last("accuracy"), Some(0.75));
    assert_eq!(history.last("weighted_accuracy"), Some(1.0));
    let keras_fit = [
        0.530601919,
        -0.272098243,
        -0.00850371737,
        -0.0330461673,
        0.554720581,
        -0.521674395,
        -0.00942395627,
        0.0487282053,
        -0.0393042527,
    ];
    close(&weights(&m), &keras_fit, 1e-6);
    // validation_data=(x, y, w): the training loss is unweighted, val_loss weighted
    // (after the step)
    let mut m = model(None);
    let history = m
        .fit(
            &x,
            &y,
            Fit::new(1)
                .batch_size(4)
                .shuffle(false)
                .verbose(0)
                .validation_data_weighted(&x, &y, &w),
        )
        .unwrap();
    assert!((history.last("loss").unwrap() - 0.946482241153717).abs() < 1e-6);
    assert!((history.last("val_loss").unwrap() - 0.5893951058387756).abs() < 1e-6);
    assert_eq!(history.last("val_accuracy"), Some(0.75));
    assert_eq!(history.last("val_weighted_accuracy"), Some(1.0));
    assert_eq!(history.last("weighted_accuracy"), Some(0.75));
}

#[test]
fn class_weight_gives_keras_3_s_loss_and_weights() {
    // class_weight={0: 1, 1: 2, 2: 0}: sample weights [1, 2, 0, 2]
    let mut m = model(None);
    let h = one_step(
        &mut m,
        Fit::new(1).class_weight(&[(0, 1.0), (1, 2.0), (2, 0.0)]),
    );
    assert!((h.last("loss").unwrap() - 0.8280437588691711).abs() < 1e-6);
    assert_eq!(h.last("weighted_accuracy"), Some(1.0));
    let keras = [
        0.522969782,
        -0.278510213,
        0.00554043194,
        -0.0203574896,
        0.536090851,
        -0.515733361,
        -0.012380789,
        0.0418252051,
        -0.029444417,
    ];
    close(&weights(&m), &keras, 1e-6);
    // class_weight={0: 3, 7: 5}: labels 1 and 2 are not listed (weight 1) and class 7
    // has no sample (ignored), as Keras's `class_weight.get(label, 1.0)` does:
    // weights [3, 1, 1, 1], loss (3·0.73183757 + 0.68026967 + 1.76392257 + 0.60989926)/4
    let mut m = model(None);
    let h = one_step(&mut m, Fit::new(1).class_weight(&[(0, 3.0), (7, 5.0)]));
    assert!((h.last("loss").unwrap() - 1.3124010562896729).abs() < 1e-6);
    let weighted = h.last("weighted_accuracy").unwrap();
    assert!((weighted - 5.0 / 6.0).abs() < 1e-12, "{weighted}");
}

#[test]
fn class_weight_equals_the_equivalent_sample_weight_bit_for_bit() {
    let cw = [(0, 1.0f32), (1, 2.0), (2, 0.25)];
    let mut by_class = model(None);
    let a = one_step(&mut by_class, Fit::new(2).class_weight(&cw));
    let mut by_sample = model(None);
    let w = array![1.0f32, 2.0, 0.25, 2.0];
    let b = one_step(&mut by_sample, Fit::new(2).sample_weight(&w));
    assert_eq!(a, b);
    assert_eq!(by_class.get_weights(), by_sample.get_weights());
    // one-hot rows give the same classes as the labels
    let one_hot = array![
        [1.0f32, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 1.0, 0.0]
    ];
    let build = || {
        let mut m = model(None);
        m.compile(
            Compile::new("categorical_crossentropy")
                .optimizer(SGD::new().learning_rate(0.1))
                .weighted_metrics(&["accuracy"]),
        )
        .unwrap();
        m
    };
    let (x, _, _) = data();
    let (mut c, mut s) = (build(), build());
    let fit = || Fit::new(1).batch_size(4).shuffle(false).verbose(0);
    let a = c.fit(&x, &one_hot, fit().class_weight(&cw)).unwrap();
    let b = s.fit(&x, &one_hot, fit().sample_weight(&w)).unwrap();
    assert_eq!(a, b);
    assert_eq!(c.get_weights(), s.get_weights());
}

#[test]
fn all_ones_weights_give_the_unweighted_figures_bit_for_bit() {
    let (x, y, _) = data();
    let ones = Array1::<f32>::ones(4);
    for penalty in [None, Some(0.01)] {
        let (mut plain, mut weighted) = (model(penalty), model(penalty));
        let fit = || Fit::new(3).batch_size(3).verbose(0);
        let a = plain.fit(&x, &y, fit()).unwrap();
        let b = weighted.fit(&x, &y, fit().sample_weight(&ones)).unwrap();
        assert_eq!(a.get("loss"), b.get("loss"));
        assert_eq!(a.get("accuracy"), b.get("accuracy"));
        assert_eq!(a.get("weighted_accuracy"), b.get("weighted_accuracy"));
        assert_eq!(plain.get_weights(), weighted.get_weights());
        let e = plain.evaluate(&x, &y, 0).unwrap();
        let f = weighted
            .evaluate_with(&x, &y, quiet().sample_weight(&ones))
            .unwrap();
        assert_eq!(e, f);
    }
    // a regression model (MSE on one output) too
    let xr = array![
        [0.5f32, -1.0],
        [1.5, 2.0],
        [-0.5, 0.25],
        [1.0, 1.0],
        [2.0, -2.0]
    ];
    let yr = array![[1.0f32], [-0.5], [0.25], [0.0], [2.0]];
    let build = || {
        let mut m = Sequential::new(3);
        m.add(Dense::new(4).activation(Activation::Relu).input_shape(&[2]));
        m.add(Dense::new(1));
        m.compile(Compile::new("mse").optimizer_name("adam").metrics(&["mae"]))
            .unwrap();
        m
    };
    let (mut plain, mut weighted) = (build(), build());
    let fit = || Fit::new(4).batch_size(2).verbose(0);
    let a = plain.fit(&xr, &yr, fit()).unwrap();
    let b = weighted
        .fit(&xr, &yr, fit().sample_weight(&Array1::ones(5)))
        .unwrap();
    assert_eq!(a.get("loss"), b.get("loss"));
    assert_eq!(a.get("mae"), b.get("mae"));
    assert_eq!(plain.get_weights(), weighted.get_weights());
}

#[test]
fn the_weight_penalty_is_added_once_and_unweighted() {
    // L2(0.01) on W: penalty 0.01·Σ W² = 0.01·0.8125 = 0.008125;
    // loss = 0.59933163 + 0.008125 = 0.60745663 (Keras: 0.607456624507904)
    let (x, y, w) = data();
    let mut m = model(Some(0.01));
    let ev = m.evaluate_with(&x, &y, quiet().sample_weight(&w)).unwrap();
    assert!((ev.loss - 0.6074566338980419).abs() < 1e-7, "{ev:?}");
    assert!((ev.loss - 0.607456624507904).abs() < 1e-6);
    // the step: dW gains 2·0.01·W, unscaled by the sample weights (Keras's weights)
    one_step(&mut m, Fit::new(1).sample_weight(&w));
    let keras = [
        0.514473259,
        -0.260887921,
        -0.00408531679,
        -0.0166092198,
        0.52652967,
        -0.509920478,
        -0.0048842486,
        0.0247029159,
        -0.0198186692,
    ];
    close(&weights(&m), &keras, 1e-6);
}

#[test]
fn a_zero_weight_drops_a_sample_from_loss_and_weighted_metrics() {
    // sample 3 (weight 0) is the one wrong: the weighted accuracy is 1, and its loss
    // 1.76392257 does not enter Σ w·ℓ
    let (x, y, w) = data();
    let mut m = model(None);
    let ev = m.evaluate_with(&x, &y, quiet().sample_weight(&w)).unwrap();
    let without = (0.7318375744 + 2.0 * 0.6802696677 + 0.5 * 0.6098992589) / 4.0;
    assert!((ev.loss - without).abs() < 1e-7);
}

#[test]
fn sample_weights_of_the_wrong_length_are_an_error_naming_both_lengths() {
    let (x, y, _) = data();
    let mut m = model(None);
    let short = array![1.0f32, 2.0, 3.0];
    let err = m
        .fit(&x, &y, Fit::new(1).verbose(0).sample_weight(&short))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "sample_weight for fit: expected 4 weights, one per sample of x (4 samples), found \
         3 weights"
    );
    let err = m
        .evaluate_with(&x, &y, quiet().sample_weight(&short))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("sample_weight for evaluate: expected 4 weights"),
        "{err}"
    );
    let err = m
        .fit(
            &x,
            &y,
            Fit::new(1)
                .verbose(0)
                .validation_data_weighted(&x, &y, &short),
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("sample weights of validation_data: expected 4 weights"),
        "{err}"
    );
}

#[test]
fn negative_or_non_finite_weights_are_an_error_and_zero_is_allowed() {
    let (x, y, _) = data();
    let mut m = model(None);
    for (bad, shown) in [(-1.0f32, "-1"), (f32::NAN, "NaN"), (f32::INFINITY, "inf")] {
        let w = array![1.0f32, 1.0, bad, 1.0];
        let err = m
            .evaluate_with(&x, &y, quiet().sample_weight(&w))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            format!(
                "sample_weight for evaluate: expected finite weights ≥ 0 (0 drops a \
                 sample), found {shown} at sample 2"
            )
        );
    }
    let err = m
        .fit(&x, &y, Fit::new(1).verbose(0).class_weight(&[(1, -2.0)]))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "class_weight: expected finite weights ≥ 0, found -2 for class 1"
    );
    let err = m
        .fit(
            &x,
            &y,
            Fit::new(1).verbose(0).class_weight(&[(1, 2.0), (1, 3.0)]),
        )
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "class_weight: expected each class once, found class 1 twice"
    );
    let zeros = Array1::<f32>::zeros(4);
    let ev = m
        .evaluate_with(&x, &y, quiet().sample_weight(&zeros))
        .unwrap();
    assert_eq!((ev.loss, ev.metric("weighted_accuracy")), (0.0, Some(0.0)));
}

#[test]
fn sample_weight_and_class_weight_together_are_an_error() {
    let (x, y, w) = data();
    let mut m = model(None);
    let before = m.get_weights();
    let err = m
        .fit(
            &x,
            &y,
            Fit::new(1)
                .verbose(0)
                .sample_weight(&w)
                .class_weight(&[(0, 2.0)]),
        )
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "fit was given both sample_weight and class_weight: give one or the other, as \
         Keras asks"
    );
    assert_eq!(m.get_weights(), before);
}

/// Two outputs (`main`, `aux`) of one input: Dense(1) each, MSE on both.
fn two_outputs() -> Functional {
    let input = Input::new(&[2]);
    let main = Dense::new(1).on(&input).named("main");
    let aux = Dense::new(1).on(&input).named("aux");
    let mut model = Functional::new(1, &[&input], &[&main, &aux]).unwrap();
    model
        .compile(Compile::new("mse").optimizer(SGD::new()))
        .unwrap();
    model
}

#[test]
fn class_weight_on_a_model_with_two_outputs_is_an_error() {
    let (x, _, _) = data();
    let y = array![[0.0f32], [1.0], [1.0], [0.0]];
    let mut m = two_outputs();
    let err = m
        .fit(
            &x,
            (&y, &y),
            Fit::new(1).verbose(0).class_weight(&[(1, 2.0)]),
        )
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "class_weight is only supported for a model with one output (this one has 2), as \
         in Keras: give Fit::sample_weight instead"
    );
}

#[test]
fn one_weight_array_weighs_every_output_and_per_output_arrays_each_theirs() {
    let (x, _, w) = data();
    let y = array![[0.0f32], [1.0], [1.0], [0.0]];
    let ones = Array1::<f32>::ones(4);
    let mut m = two_outputs();
    let shared = m
        .evaluate_with(&x, (&y, &y), quiet().sample_weight(&w))
        .unwrap();
    let per_output = m
        .evaluate_with(&x, (&y, &y), quiet().output_sample_weights(&[&w, &w]))
        .unwrap();
    assert_eq!(shared, per_output);
    // weights on the main output only: its loss is weighted, aux's is the plain one
    let plain = m.evaluate(&x, (&y, &y), 0).unwrap();
    let main_only = m
        .evaluate_with(&x, (&y, &y), quiet().output_sample_weights(&[&w, &ones]))
        .unwrap();
    assert_eq!(main_only.metric("aux_loss"), plain.metric("aux_loss"));
    assert_eq!(main_only.metric("main_loss"), shared.metric("main_loss"));
    assert_ne!(main_only.metric("main_loss"), plain.metric("main_loss"));
    let err = m
        .evaluate_with(&x, (&y, &y), quiet().output_sample_weights(&[&w, &w, &w]))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "sample_weight for evaluate: expected one weight array for every output, or one \
         per output (2: main, aux), found 3 arrays"
    );
}
