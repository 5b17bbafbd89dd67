//! Grades chapter 11 (HOML's subclassed `WideAndDeepModel` on California housing) against
//! the "California housing regression (HOML 10)" section of `book/src/reference.md`,
//! through the very model and functions of `chapters/ch11_subclassing.rs` that the
//! chapter binary prints: the whole backward pass against finite differences, the same
//! network as a functional model giving the same figures to the bit, the test losses in
//! their band, Keras 3's summary byte for byte, and what subclassing gives up (a whole-
//! model save) beside what still works (weights by path, clear shape errors).
//! Run alone with `cargo test --release --test ch11_subclassing`.
//!
//! The Keras 3.15.1 output quoted below was printed by `/work/kref/ch11_subclassing.py`
//! and `ch11_build_probe.py` (jax backend), HOML's class and cells with the 2nd edition's
//! data and optimizer; see the reference page for what they printed.
//!
//! Training: about 30 epochs of 11,610 rows in all (well under a second).

#[path = "../chapters/ch11_subclassing.rs"]
#[allow(dead_code)]
mod chapter;

use std::path::PathBuf;

use annlab::datasets::california::{fetch_california_housing, homl_sets, HousingSets};
use annlab::gradcheck::{check_model, random_matrix};
use annlab::prelude::*;
use annlab::report;
use annlab::saving::{load_weights, save_weights};
use chapter::{figures, save_and_restore, train, wide_deep, WideAndDeepModel, SEED};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn sets() -> HousingSets {
    let housing = fetch_california_housing().expect("data/cal_housing.data.gz ships");
    homl_sets(&housing).expect("HOML's sets")
}

/// A fresh directory under the system's temp dir, named for this test.
fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("annlab-ch11-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The same network written with the functional API (as `tests/functional.rs` builds
/// it): layers created in the same order, so built from the same seed it draws the
/// same weights.
fn functional_twin(seed: u64, activation: Activation) -> Functional {
    let input_wide = Input::new(&[5]).named("wide_input");
    let input_deep = Input::new(&[6]).named("deep_input");
    let hidden1 = Dense::new(30).activation(activation).on(&input_deep);
    let hidden2 = Dense::new(30).activation(activation).on(&hidden1);
    let concat = concatenate(&[&input_wide, &hidden2]);
    let output = Dense::new(1).on(&concat).named("output");
    let aux_output = Dense::new(1).on(&hidden2).named("aux_output");
    Functional::new(seed, &[&input_wide, &input_deep], &[&output, &aux_output])
        .expect("a valid graph")
}

fn compile_homl<M: Train>(model: &mut M) {
    model
        .compile(
            Compile::new("mse")
                .loss_weights(&[0.9, 0.1])
                .optimizer(SGD::new().learning_rate(1e-3)),
        )
        .expect("compiles");
}

#[test]
fn the_subclassed_models_whole_backward_pass_matches_finite_differences() {
    // tanh rather than relu: finite differences across relu's kink disagree with any
    // exact gradient (tests/functional.rs explains)
    let mut model = WideAndDeepModel::new(30, Activation::Tanh, (5, 6), 3);
    model
        .compile(Compile::new("mse").loss_weights(&[0.9, 0.1]))
        .unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let x_wide = random_matrix(6, 5, -1.0, 1.0, &mut rng);
    let x_deep = random_matrix(6, 6, -1.0, 1.0, &mut rng);
    let y = random_matrix(6, 1, -1.0, 1.0, &mut rng);
    let y_aux = y.mapv(|v| 0.5 - v); // two different targets: both heads must count
    check_model(&mut model, (&x_wide, &x_deep), (&y, &y_aux)).unwrap();
}

#[test]
fn the_subclassed_model_and_its_functional_twin_give_the_same_figures_to_the_bit() {
    let sets = sets();
    let mut subclassed = WideAndDeepModel::new(30, Activation::Relu, (5, 6), SEED);
    let mut functional = functional_twin(SEED, Activation::Relu);
    // the same seed draws the same weights, layer by layer in the same order
    subclassed.build().unwrap();
    assert_eq!(subclassed.get_weights(), functional.get_weights());
    let names: Vec<String> = subclassed.weights().into_iter().map(|w| w.name).collect();
    assert_eq!(
        names,
        [
            "dense/kernel",
            "dense/bias",
            "dense_1/kernel",
            "dense_1/bias",
            "dense_2/kernel",
            "dense_2/bias",
            "dense_3/kernel",
            "dense_3/bias"
        ]
    );

    let (x_train_wide, x_train_deep) = wide_deep(&sets.train.x);
    let (x_valid_wide, x_valid_deep) = wide_deep(&sets.valid.x);
    let (y, y_valid) = (&sets.train.y, &sets.valid.y);
    let before_sub = subclassed
        .predict_all((&x_valid_wide, &x_valid_deep))
        .unwrap();
    let before_fun = functional
        .predict_all((&x_valid_wide, &x_valid_deep))
        .unwrap();
    assert_eq!(before_sub, before_fun);

    // trained identically: every figure of every epoch, and the weights, to the bit
    compile_homl(&mut subclassed);
    compile_homl(&mut functional);
    let fit = || {
        Fit::new(3)
            .verbose(0)
            .validation_data((&x_valid_wide, &x_valid_deep), (y_valid, y_valid))
    };
    let h_sub = subclassed
        .fit((&x_train_wide, &x_train_deep), (y, y), fit())
        .unwrap();
    let h_fun = functional
        .fit((&x_train_wide, &x_train_deep), (y, y), fit())
        .unwrap();
    // the outputs are named differently (see the chapter's `outputs`)
    for (sub, fun) in [
        ("loss", "loss"),
        ("output_1_loss", "output_loss"),
        ("output_2_loss", "aux_output_loss"),
        ("val_loss", "val_loss"),
        ("val_output_1_loss", "val_output_loss"),
        ("val_output_2_loss", "val_aux_output_loss"),
    ] {
        assert_eq!(h_sub.get(sub).unwrap(), h_fun.get(fun).unwrap(), "{sub}");
    }
    assert_eq!(subclassed.get_weights(), functional.get_weights());
    let after_sub = subclassed
        .predict_all((&x_valid_wide, &x_valid_deep))
        .unwrap();
    let after_fun = functional
        .predict_all((&x_valid_wide, &x_valid_deep))
        .unwrap();
    assert_eq!(after_sub, after_fun);
    assert_ne!(after_sub, before_sub);
}

#[test]
fn the_chapters_test_losses_are_in_the_reference_band_and_reproducible_to_the_bit() {
    let sets = sets();
    let (_, run, prediction) = train(&sets, 10, SEED, 0).expect("trains");
    println!(
        "test losses {:?}; predict {:?}",
        run.evaluation.values(),
        prediction
    );
    // the reference band: total 0.48–0.65, main 0.41–0.58, aux 1.05–1.45
    let misses = report::misses(&figures(&run));
    assert!(misses.is_empty(), "{misses:#?}");
    // evaluate lists [total, main, aux], the total being 0.9·main + 0.1·aux
    let [total, main, aux] = run.evaluation.values()[..] else {
        panic!("three figures: {:?}", run.evaluation)
    };
    assert!((total - (0.9 * main + 0.1 * aux)).abs() < 1e-6 * total);
    let keys: Vec<&str> = run
        .evaluation
        .metrics
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(keys, ["output_1_loss", "output_2_loss"]);
    // History: tf.keras's names, as HOML printed them (Keras 3.15.1 names both
    // `mse_loss`, which collide; the reference page explains)
    assert_eq!(run.history.epochs(), 10);
    assert_eq!(
        run.history.keys(),
        [
            "loss",
            "output_1_loss",
            "output_2_loss",
            "val_loss",
            "val_output_1_loss",
            "val_output_2_loss"
        ]
    );
    let loss = run.history.get("loss").unwrap();
    assert!(loss[9] < loss[0], "{loss:?}");
    assert_eq!(prediction.y_true, [0.477, 0.458, 5.00001]);
    assert_eq!(
        (prediction.y_pred_main.len(), prediction.y_pred_aux.len()),
        (3, 3)
    );

    // same seed, same figures, to the last bit
    let (_, again, same) = train(&sets, 10, SEED, 0).expect("trains");
    assert_eq!(run.history, again.history);
    assert_eq!(run.evaluation, again.evaluation);
    assert_eq!(run.summary, again.summary);
    assert_eq!(prediction, same);
}

#[test]
fn before_its_first_batch_the_summary_is_keras_3s_unbuilt_table() {
    // printed by Keras 3.15.1 for HOML's model before fit
    let keras = r#"Model: "my_cool_model"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_2 (Dense)                 │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_3 (Dense)                 │ ?                      │   0 (unbuilt) │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
"#;
    let mut model =
        WideAndDeepModel::new(30, Activation::Relu, (5, 6), SEED).named("my_cool_model");
    assert_eq!(model.summary().unwrap(), keras);
    // unnamed, Keras names it after the class
    let mut unnamed = WideAndDeepModel::new(30, Activation::Relu, (5, 6), SEED);
    assert!(unnamed
        .summary()
        .unwrap()
        .starts_with("Model: \"wide_and_deep_model\"\n"));
}

#[test]
fn after_fit_the_summary_is_keras_3s_table_byte_for_byte() {
    // printed by Keras 3.15.1 after HOML's fit, in a fresh session (layers dense … dense_3):
    // the shapes of the first batch (32 rows), and the optimizer's two variables
    // (iteration and learning_rate) counted in the total
    let keras = r#"Model: "my_cool_model"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (32, 30)               │           210 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (32, 30)               │           930 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_2 (Dense)                 │ (32, 1)                │            36 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_3 (Dense)                 │ (32, 1)                │            31 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 1,209 (4.72 KB)
 Trainable params: 1,207 (4.71 KB)
 Non-trainable params: 0 (0.00 B)
 Optimizer params: 2 (8.00 B)
"#;
    let sets = sets();
    let (x_wide, x_deep) = wide_deep(&sets.valid.x);
    let y = &sets.valid.y;
    let mut model =
        WideAndDeepModel::new(30, Activation::Relu, (5, 6), SEED).named("my_cool_model");
    compile_homl(&mut model);
    model
        .fit((&x_wide, &x_deep), (y, y), Fit::new(1).verbose(0))
        .unwrap();
    assert_eq!(model.summary().unwrap(), keras);
    // momentum adds one velocity per weight: 2 + 1,207 optimizer variables
    let mut momentum = WideAndDeepModel::new(30, Activation::Relu, (5, 6), SEED);
    momentum
        .compile(Compile::new("mse").optimizer(SGD::new().momentum(0.9)))
        .unwrap();
    momentum
        .fit((&x_wide, &x_deep), (y, y), Fit::new(1).verbose(0))
        .unwrap();
    assert!(
        momentum
            .summary()
            .unwrap()
            .ends_with(" Optimizer params: 1,209 (4.72 KB)\n"),
        "{}",
        momentum.summary().unwrap()
    );
}

#[test]
fn save_weights_and_load_weights_round_trip_to_the_bit_and_save_model_is_a_clear_error() {
    let sets = sets();
    let (mut model, _, prediction) = train(&sets, 2, SEED, 0).expect("trains");
    let dir = temp_dir("save");
    let x_new = sets.test.x.slice(s![..3, ..]).to_owned();
    let (x_new_wide, x_new_deep) = wide_deep(&x_new);
    let chapter::Restored {
        predictions: restored,
        whole_model_save: refused,
    } = save_and_restore(&mut model, (&x_new_wide, &x_new_deep), &dir).expect("saves");
    // the chapter's restore: a new model (another seed) predicts exactly as the saved one
    assert_eq!(
        restored[0].iter().copied().collect::<Vec<_>>(),
        prediction.y_pred_main
    );
    assert_eq!(
        restored[1].iter().copied().collect::<Vec<_>>(),
        prediction.y_pred_aux
    );
    // the whole-model save is refused, pointing to save_weights, and writes nothing
    let err = refused.expect_err("a subclassed model has no architecture to save");
    let message = err.to_string();
    assert!(
        message.contains("my_cool_model.safetensors")
            && message.contains("cannot describe its architecture as data")
            && message.contains("save_weights")
            && message.contains(".weights.safetensors"),
        "{message}"
    );
    assert!(!dir.join("my_cool_model.safetensors").exists());

    // every tensor by path, to the bit, into a model that never trained
    let path = dir.join("round_trip.weights.safetensors");
    save_weights(&model, &path).unwrap();
    let mut fresh = WideAndDeepModel::new(30, Activation::Relu, (5, 6), 7);
    load_weights(&mut fresh, &path).unwrap();
    assert_eq!(fresh.named_weights(), model.named_weights());
    // a file from another architecture is refused, naming what does not fit
    let mut wider = WideAndDeepModel::new(20, Activation::Relu, (5, 6), 7);
    let err = load_weights(&mut wider, &path).unwrap_err().to_string();
    assert!(
        err.contains("of layer dense:") && err.contains("expected shape (20,)"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_shape_mismatch_is_a_clear_error_naming_the_input_not_a_panic() {
    let sets = sets();
    let (x_wide, x_deep) = wide_deep(&sets.test.x);
    let y = &sets.test.y;
    let mut model = WideAndDeepModel::new(30, Activation::Relu, (5, 6), SEED);
    compile_homl(&mut model);
    // the inputs swapped: Keras 3 fails inside call ("expected axis -1 of input shape to
    // have value 6"); annlab refuses before the first step, naming the input
    let err = model
        .fit((&x_deep, &x_wide), (y, y), Fit::new(1).verbose(0))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "x for fit (input input_wide): expected a batch of shape (None, 5) (samples of \
         shape (5,)), found an array of shape (5160, 6)"
    );
    // one array for two inputs (Keras 3: "'NoneType' object is not callable")
    let err = model
        .fit(&sets.test.x, (y, y), Fit::new(1).verbose(0))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("one array per input (2: input_wide, input_deep)"),
        "{err}"
    );
    // one target for two outputs
    let err = model
        .evaluate((&x_wide, &x_deep), y, 0)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("one set of targets per output (2: output_1, output_2)"),
        "{err}"
    );
    // inputs of different lengths
    let short = x_deep.slice(s![..10, ..]);
    let err = model
        .predict_all((&x_wide, &short))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("5160 samples, as the first input has"),
        "{err}"
    );
    // predict is for one output
    let err = model.predict((&x_wide, &x_deep)).unwrap_err().to_string();
    assert!(err.contains("predict_all"), "{err}");
    // nothing was trained by the refused calls
    let mut untouched = WideAndDeepModel::new(30, Activation::Relu, (5, 6), SEED);
    untouched.build().unwrap();
    assert_eq!(model.get_weights(), untouched.get_weights());
}

#[test]
fn a_layer_of_zero_units_is_an_error_naming_the_layer() {
    let mut model = WideAndDeepModel::new(0, Activation::Relu, (5, 6), SEED);
    let err = model.compile(Compile::new("mse")).unwrap_err().to_string();
    assert!(
        err.starts_with("invalid Dense units of layer dense:"),
        "{err}"
    );
}
