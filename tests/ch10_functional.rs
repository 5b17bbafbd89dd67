//! Grades chapter 10 (HOML's functional API: wide & deep, two inputs, an auxiliary
//! output) against the "California housing regression (HOML 10)" rows of
//! `book/src/reference.md`, through the very functions of `chapters/ch10_functional.rs`
//! that the chapter binary prints. Run alone with
//! `cargo test --release --test ch10_functional`.
//!
//! Training: 7 models × 20 epochs of 11,610 rows (about a second).

#[path = "../chapters/ch10_functional.rs"]
#[allow(dead_code)]
mod chapter;

use annlab::datasets::california::{fetch_california_housing, homl_sets, HousingSets};
use annlab::prelude::*;
use annlab::report;
use chapter::{
    aux_losses, figures, train_aux, train_two_inputs, train_wide_and_deep, two_inputs,
    wide_and_deep, wide_deep_split, AUX_SEEDS, EPOCHS, SEED,
};

fn sets() -> HousingSets {
    let housing = fetch_california_housing().expect("data/cal_housing.data.gz ships");
    homl_sets(&housing).expect("HOML's split")
}

#[test]
fn the_three_functional_models_have_keras_parameter_counts() {
    // wide & deep: 8·30 + 30, 30·30 + 30, (8 + 30)·1 + 1
    assert_eq!(wide_and_deep(SEED).unwrap().param_count(), 270 + 930 + 39);
    // two inputs: 6·30 + 30, 30·30 + 30, (5 + 30)·1 + 1
    let mut two = two_inputs(SEED, false).unwrap();
    assert_eq!(two.param_count(), 210 + 930 + 36);
    let summary = two.summary().unwrap();
    assert!(
        summary.contains("Total params: 1,176 (4.59 KB)"),
        "{summary}"
    );
    // … and the auxiliary output adds 30·1 + 1
    assert_eq!(two_inputs(SEED, true).unwrap().param_count(), 1_176 + 31);
}

#[test]
fn every_functional_model_is_inside_its_band_and_reproducible() {
    let sets = sets();
    let wide_deep = train_wide_and_deep(&sets, EPOCHS, SEED, 0).unwrap();
    assert!(wide_deep.summary.contains("Total params: 1,239 (4.84 KB)"));
    let (two, y_pred) = train_two_inputs(&sets, EPOCHS, SEED, 0).unwrap();
    assert_eq!(y_pred.dim(), (3, 1));
    let aux_runs: Vec<_> = AUX_SEEDS
        .iter()
        .map(|&seed| train_aux(&sets, EPOCHS, seed, 0).unwrap().0)
        .collect();
    let figures = figures(&wide_deep, &two, &aux_runs);
    assert_eq!(figures.len(), 4);
    let misses = report::misses(&figures);
    assert!(misses.is_empty(), "{misses:#?}");

    // same seed, same figures, to the last bit
    let again = train_wide_and_deep(&sets, EPOCHS, SEED, 0).unwrap();
    assert_eq!(wide_deep.history, again.history);
    assert_eq!(wide_deep.evaluation, again.evaluation);
    let (again, y_again) = train_two_inputs(&sets, EPOCHS, SEED, 0).unwrap();
    assert_eq!((two.evaluation, y_pred), (again.evaluation, y_again));
    let (again, _) = train_aux(&sets, EPOCHS, AUX_SEEDS[0], 0).unwrap();
    assert_eq!(aux_runs[0].history, again.history);
    assert_eq!(aux_runs[0].evaluation, again.evaluation);
    // the seeds really are used
    assert_ne!(aux_runs[0].evaluation, aux_runs[1].evaluation);
}

#[test]
fn the_aux_model_evaluates_to_the_weighted_total_then_each_outputs_loss() {
    let sets = sets();
    let (run, y_preds) = train_aux(&sets, EPOCHS, AUX_SEEDS[0], 0).unwrap();
    // total_loss, main_loss, aux_loss = model.evaluate(...)
    let values = run.evaluation.values();
    assert_eq!(values.len(), 3);
    let (main, aux) = aux_losses(&run);
    assert_eq!(values[1..], [main, aux]);
    assert!(
        (values[0] - (0.9 * main + 0.1 * aux)).abs() < 1e-6 * values[0],
        "{values:?}"
    );
    // y_pred_main, y_pred_aux = model.predict(...)
    assert_eq!(y_preds.len(), 2);
    assert_eq!((y_preds[0].dim(), y_preds[1].dim()), ((3, 1), (3, 1)));

    // History: Keras 3's keys for outputs named main_output and aux_output
    let keys: Vec<&str> = run.history.keys().iter().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "aux_output_loss",
            "loss",
            "main_output_loss",
            "val_aux_output_loss",
            "val_loss",
            "val_main_output_loss"
        ]
    );
    assert_eq!(run.history.epochs(), EPOCHS);
}

#[test]
fn the_main_output_matches_mse_recomputed_from_its_predictions() {
    let sets = sets();
    let mut model = two_inputs(AUX_SEEDS[0], true).unwrap();
    model
        .compile(Compile::losses(&["mse", "mse"]).loss_weights(&[0.9, 0.1]))
        .unwrap();
    let (x_a, x_b) = wide_deep_split(&sets.test.x);
    let y = &sets.test.y;
    let ev = model.evaluate((&x_a, &x_b), (y, y), 0).unwrap();
    let preds = model.predict_all((&x_a, &x_b)).unwrap();
    for (pred, key) in preds.iter().zip(["main_output_loss", "aux_output_loss"]) {
        let mse = pred
            .iter()
            .zip(y.iter())
            .map(|(&p, &t)| f64::from(p - t).powi(2))
            .sum::<f64>()
            / y.len() as f64;
        let logged = ev.metric(key).unwrap();
        assert!(
            (logged - mse).abs() < 1e-5 * mse,
            "{key}: {logged} vs {mse}"
        );
    }
}
