//! Weight regularizers on `Dense` (issue 15): the penalty l1·Σ|w| + l2·Σw² enters the
//! loss of `fit`, `evaluate` and validation, its gradient enters the parameter
//! gradients, and save/load keeps it — checked by hand, against finite differences and
//! against Keras 3 (`keras/regularizers.py`).

use annlab::gradcheck::{check_model, random_matrix};
use annlab::layers::LayerConfig;
use annlab::prelude::*;
use annlab::regularizers::{l1, l1_l2, l2};
use annlab::saving::{load_model, save_model};
use ndarray::ArrayD;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn tensor(values: &[f32], shape: &[usize]) -> ArrayD<f32> {
    ArrayD::from_shape_vec(shape, values.to_vec()).expect("values fit the shape")
}

#[test]
fn an_l2_kernel_penalty_on_a_two_input_dense_adds_lambda_sum_of_squares_to_loss_and_gradient(
) {
    // ŷ = x·W + b, W = [0.5, −1]ᵀ, b = 0.25, λ = 0.1 on W only
    let mut model = Sequential::new(0);
    model.add(Dense::new(1).input_shape(&[2]).kernel_regularizer(l2(0.1)));
    model
        .compile(Compile::new("mse").optimizer(SGD::new()))
        .unwrap();
    model
        .set_weights(&[tensor(&[0.5, -1.0], &[2, 1]), tensor(&[0.25], &[1])])
        .unwrap();
    let x = array![[1.0f32, 2.0], [3.0, -1.0]];
    let y = array![[0.0f32], [1.0]];
    // ŷ = [−1.25, 2.75], ŷ − y = [−1.25, 1.75]: MSE = (1.5625 + 3.0625) / 2 = 2.3125;
    // penalty = 0.1·(0.25 + 1) = 0.125
    let expected = 2.3125 + 0.125;
    let (loss, grads) = model.loss_and_gradients(&x, &y).unwrap();
    assert!((loss - expected).abs() < 1e-7, "{loss}");
    let evaluated = model.evaluate(&x, &y, 0).unwrap().loss;
    assert!((evaluated - expected).abs() < 1e-7, "{evaluated}");
    // dL/dW = 2(ŷ − y)ᵀx / B + 2λW = [4, −4.25] + [0.1, −0.2]; dL/db = Σ(ŷ − y) = 0.5
    let dw = grads[0].as_slice().unwrap();
    assert!(
        (dw[0] - 4.1).abs() < 1e-6 && (dw[1] + 4.45).abs() < 1e-6,
        "{dw:?}"
    );
    assert!((grads[1][[0]] - 0.5).abs() < 1e-6, "{}", grads[1]);
    assert!((model.regularization_loss() - 0.125).abs() < 1e-8);
}

/// The model of `keras/regularizers.py`: Dense(3, tanh) with L1L2(0.01, 0.02) on the
/// kernel and L2(0.05) on the bias, then Dense(1) with L1(0.03) on the kernel; MSE,
/// SGD(0.1), its fixed weights.
fn keras_case() -> Sequential {
    let mut model = Sequential::new(0);
    model.add(
        Dense::new(3)
            .activation(Activation::Tanh)
            .input_shape(&[2])
            .kernel_regularizer(l1_l2(0.01, 0.02))
            .bias_regularizer(l2(0.05)),
    );
    model.add(Dense::new(1).kernel_regularizer(l1(0.03)));
    model
        .compile(Compile::new("mse").optimizer(SGD::new().learning_rate(0.1)))
        .unwrap();
    model
        .set_weights(&[
            tensor(&[0.3, -0.2, 0.1, 0.4, 0.25, -0.35], &[2, 3]),
            tensor(&[0.1, -0.1, 0.2], &[3]),
            tensor(&[0.5, -0.6, 0.7], &[3, 1]),
            tensor(&[0.05], &[1]),
        ])
        .unwrap();
    model
}

#[test]
fn a_small_regularized_model_gives_keras_3_s_penalty_loss_gradients_and_history() {
    // figures printed by keras/regularizers.py (Keras 3.15.1, jax backend)
    let x = array![[0.5f32, -1.0], [1.5, 2.0], [-0.5, 0.25]];
    let y = array![[1.0f32], [-0.5], [0.25]];
    let mut model = keras_case();
    // 0.01·2.1 … by hand: 0.01·1.6 + 0.02·0.485 + 0.05·0.06 + 0.03·1.8 = 0.0827
    assert!((model.regularization_loss() - 0.0827).abs() < 1e-8);
    let evaluated = model.evaluate(&x, &y, 0).unwrap().loss;
    assert!((evaluated - 0.3038128912448883).abs() < 1e-6, "{evaluated}");
    let (loss, grads) = model.loss_and_gradients(&x, &y).unwrap();
    assert!((loss - evaluated).abs() < 1e-7);
    // Keras's gradients are (w_before − w_after) / lr after one SGD step, so they carry
    // the f32 rounding of w_after (≈ 3e-8) divided by lr = 0.1: about 3e-7
    let keras: [&[f64]; 4] = [
        &[
            0.0672641396522522,
            -0.3975602984428406,
            0.41702717542648315,
            0.24968981742858887,
            -0.6410983204841614,
            0.6602674722671509,
        ],
        &[-0.12056156992912292, -0.0867106020450592, 0.096549391746521],
        &[0.4667136073112488, 0.12014508247375488, -0.273706316947937],
        &[0.08507713675498962],
    ];
    for (k, (g, expected)) in grads.iter().zip(keras).enumerate() {
        for (a, b) in g.iter().zip(expected) {
            assert!(
                (f64::from(*a) - b).abs() < 2e-6,
                "tensor {k}: {g} vs {expected:?}"
            );
        }
    }
    // History: each epoch's loss on the weights before its step, val_loss after it
    let mut model = keras_case();
    let history = model
        .fit(
            &x,
            &y,
            Fit::new(2)
                .batch_size(3)
                .shuffle(false)
                .verbose(0)
                .validation_data(&x, &y),
        )
        .unwrap();
    let (loss, val_loss) = (
        history.get("loss").unwrap(),
        history.get("val_loss").unwrap(),
    );
    for (a, b) in loss.iter().zip([0.3038128912448883, 0.1804606169462204]) {
        assert!((a - b).abs() < 1e-6, "loss {loss:?}");
    }
    for (a, b) in val_loss
        .iter()
        .zip([0.1804606169462204, 0.13609613478183746])
    {
        assert!((a - b).abs() < 1e-6, "val_loss {val_loss:?}");
    }
}

/// Moves every weight at least 0.05 away from 0, keeping its sign (0 becomes +0.05):
/// |w|'s kink then lies more than 4h away from the finite differences' w ± h (h = 1e-2).
fn away_from_zero(model: &mut impl Train) {
    let weights: Vec<ArrayD<f32>> = model
        .get_weights()
        .into_iter()
        .map(|w| w.mapv(|v| if v < 0.0 { v - 0.05 } else { v + 0.05 }))
        .collect();
    model.set_weights(&weights).unwrap();
}

#[test]
fn l1_l2_regularizers_on_two_layers_pass_the_whole_model_gradient_check() {
    // factors large enough that a missing or wrong penalty gradient (≥ 0.05 per entry)
    // is far beyond the checker's tolerance (2e-3 + 2 %)
    for seed in 0..6u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut model = Sequential::new(seed);
        model.add(
            Dense::new(4)
                .activation(Activation::Tanh)
                .input_shape(&[3])
                .kernel_regularizer(l1_l2(0.05, 0.1))
                .bias_regularizer(l1_l2(0.08, 0.03)),
        );
        model.add(
            Dense::new(3)
                .activation(Activation::Tanh)
                .kernel_regularizer(l1_l2(0.1, 0.05)),
        );
        model.add(Dense::new(2).bias_regularizer(l1(0.07)));
        model.compile(Compile::new("mse")).unwrap();
        away_from_zero(&mut model);
        let x = random_matrix(5, 3, -1.0, 1.0, &mut rng);
        let y = random_matrix(5, 2, -1.0, 1.0, &mut rng);
        check_model(&mut model, &x, &y).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    }
}

#[test]
fn a_functional_model_with_two_outputs_adds_the_penalty_once_to_the_total_and_to_no_output_loss(
) {
    let input = Input::new(&[3]);
    let hidden = Dense::new(4)
        .activation(Activation::Tanh)
        .kernel_regularizer(l1_l2(0.05, 0.1))
        .on(&input);
    let main = Dense::new(1)
        .kernel_regularizer(l2(0.2))
        .on(&hidden)
        .named("main");
    let aux = Dense::new(1).on(&hidden).named("aux");
    let mut model = Functional::new(3, &[&input], &[&main, &aux]).unwrap();
    model
        .compile(Compile::losses(&["mse", "mse"]).loss_weights(&[0.9, 0.1]))
        .unwrap();
    away_from_zero(&mut model);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let x = random_matrix(6, 3, -1.0, 1.0, &mut rng);
    let (y_main, y_aux) = (
        random_matrix(6, 1, -1.0, 1.0, &mut rng),
        random_matrix(6, 1, -1.0, 1.0, &mut rng),
    );
    let penalty = model.regularization_loss();
    let weights = model.get_weights();
    let by_hand = weights[0].mapv(|w| 0.05 * w.abs() + 0.1 * w * w).sum()
        + weights[2].mapv(|w| 0.2 * w * w).sum();
    assert!(
        (penalty - f64::from(by_hand)).abs() < 1e-6,
        "{penalty} vs {by_hand}"
    );
    let ev = model.evaluate(&x, (&y_main, &y_aux), 0).unwrap();
    let (main_loss, aux_loss) = (
        ev.metric("main_loss").unwrap(),
        ev.metric("aux_loss").unwrap(),
    );
    let total = f64::from(0.9f32) * main_loss + f64::from(0.1f32) * aux_loss + penalty;
    assert!((ev.loss - total).abs() < 1e-12, "{} vs {total}", ev.loss);
    check_model(&mut model, &x, (&y_main, &y_aux)).unwrap();
}

#[test]
fn history_loss_includes_the_penalty_and_a_zero_factor_trains_bit_identically_to_none() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let x = random_matrix(16, 4, -1.0, 1.0, &mut rng);
    let y = random_matrix(16, 1, -1.0, 1.0, &mut rng);
    let model_with = |reg: Option<annlab::regularizers::Regularizer>| {
        let mut model = Sequential::new(9);
        let hidden = Dense::new(5).activation(Activation::Tanh).input_shape(&[4]);
        model.add(match reg {
            Some(r) => hidden.kernel_regularizer(r).bias_regularizer(r),
            None => hidden,
        });
        model.add(Dense::new(1));
        model
            .compile(Compile::new("mse").optimizer(Adam::new()))
            .unwrap();
        model
    };
    let fit = || Fit::new(3).batch_size(16).verbose(0);
    let figures = |h: &History| -> Vec<u64> {
        h.get("loss").unwrap().iter().map(|v| v.to_bits()).collect()
    };

    let mut plain = model_with(None);
    let mse_before = plain.evaluate(&x, &y, 0).unwrap().loss;
    let plain_history = plain.fit(&x, &y, fit()).unwrap();
    // one batch per epoch: the first epoch's loss is the loss before any step
    assert_eq!(plain_history.get("loss").unwrap()[0], mse_before);
    let mut zero = model_with(Some(l1_l2(0.0, 0.0)));
    let zero_history = zero.fit(&x, &y, fit()).unwrap();
    assert_eq!(figures(&zero_history), figures(&plain_history));
    assert_eq!(zero.get_weights(), plain.get_weights());

    let mut regularized = model_with(Some(l2(0.01)));
    let penalty = regularized.regularization_loss();
    assert!(penalty > 1e-3, "{penalty}");
    let evaluated = regularized.evaluate(&x, &y, 0).unwrap().loss;
    assert!((evaluated - (mse_before + penalty)).abs() < 1e-12);
    let history = regularized.fit(&x, &y, fit()).unwrap();
    assert_eq!(history.get("loss").unwrap()[0], evaluated);
}

#[test]
fn save_model_and_load_model_keep_the_regularizers() {
    let x = array![[0.5f32, -1.0], [1.5, 2.0], [-0.5, 0.25]];
    let y = array![[1.0f32], [-0.5], [0.25]];
    let model = keras_case();
    let dir =
        std::env::temp_dir().join(format!("annlab-regularizers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("regularized.safetensors");
    save_model(&model, &path).unwrap();
    let mut loaded = load_model(&path).unwrap();
    let configs: Vec<LayerConfig> = loaded.layers().iter().map(|l| l.config()).collect();
    let saved: Vec<LayerConfig> = model.layers().iter().map(|l| l.config()).collect();
    assert_eq!(configs, saved);
    let LayerConfig::Dense(first) = &configs[0] else {
        panic!("a Dense layer")
    };
    assert_eq!(first.kernel_regularizer, Some(l1_l2(0.01, 0.02)));
    assert_eq!(first.bias_regularizer, Some(l2(0.05)));
    assert_eq!(
        loaded.regularization_loss().to_bits(),
        model.regularization_loss().to_bits()
    );
    let mut model = model;
    let (a, b) = (
        model.evaluate(&x, &y, 0).unwrap().loss,
        loaded.evaluate(&x, &y, 0).unwrap().loss,
    );
    assert_eq!(a.to_bits(), b.to_bits());
    std::fs::remove_file(&path).ok();
}

#[test]
fn a_negative_or_nan_factor_is_a_clear_error_naming_the_layer() {
    let mut model = Sequential::new(0);
    model.add(Dense::new(3).input_shape(&[2]));
    model.add(Dense::new(1).kernel_regularizer(l2(-1e-3)));
    let err = model.compile(Compile::new("mse")).unwrap_err().to_string();
    assert!(
        err.contains("dense_1")
            && err.contains("kernel_regularizer")
            && err.contains("l2 must be a finite number ≥ 0")
            && err.contains("-0.001"),
        "{err}"
    );
    let input = Input::new(&[2]);
    let output = Dense::new(1).bias_regularizer(l1(f32::NAN)).on(&input);
    let err = Functional::new(0, &[&input], &[&output])
        .err()
        .expect("NaN is refused")
        .to_string();
    assert!(
        err.contains("bias_regularizer") && err.contains("l1") && err.contains("NaN"),
        "{err}"
    );
}

#[test]
fn summary_shows_no_trace_of_the_regularizers() {
    let build = |regularized: bool| {
        let mut model = Sequential::new(1);
        let dense = Dense::new(100)
            .activation(Activation::Relu)
            .input_shape(&[784]);
        model.add(if regularized {
            dense.kernel_regularizer(l2(1e-3))
        } else {
            dense
        });
        model.add(Dense::new(10).activation(Activation::Softmax));
        model
    };
    assert_eq!(
        build(true).summary().unwrap(),
        build(false).summary().unwrap()
    );
}
