//! The optimizer family inside a model: every Keras name trains, the optimizer's state
//! lives across `fit` calls as Keras's does, and the new losses and metrics plug into
//! `compile`. Unit-level update rules are tested beside each optimizer in src/optimizers/.

use annlab::optimizers::{self, ExponentialDecay, Nadam, NAMES};
use annlab::prelude::*;

mod common;
use common::linear_rule_data as data;

fn model(seed: u64) -> Sequential {
    let mut model = Sequential::new(seed);
    model.add(Dense::new(8).activation(Activation::Relu).input_shape(&[4]));
    model.add(Dense::new(2).activation(Activation::Softmax));
    model
}

fn compile_named(name: &str) -> Compile {
    Compile::new("sparse_categorical_crossentropy")
        .optimizer_name(name)
        .metrics(&["accuracy"])
}

#[test]
fn every_optimizer_name_compiles_and_lowers_the_loss() {
    let (x, y) = data();
    for name in NAMES {
        // Adadelta's default lr 0.001 scales its already tiny first steps (√ε·g/√E[g²])
        // so far down that 20 epochs barely move; 1.0 is the paper's form.
        let spec = if name == "adadelta" {
            let adadelta = optimizers::Adadelta::new().learning_rate(1.0);
            Compile::new("sparse_categorical_crossentropy").optimizer(adadelta)
        } else {
            compile_named(name)
        };
        let mut m = model(3);
        m.compile(spec).expect("known name");
        let h = m
            .fit(&x, &y, Fit::new(20).batch_size(8).verbose(0))
            .expect("trains");
        let loss = h.get("loss").expect("loss");
        assert!(
            loss[19] < loss[0],
            "{name}: loss {} → {}",
            loss[0],
            loss[19]
        );
        let steps = m.optimizer().expect("compiled").iterations();
        assert_eq!(steps, 20 * 8, "{name}: one step per batch");
    }
}

#[test]
fn optimizer_state_carries_over_between_fit_calls() {
    // Keras keeps the compiled optimizer (its moments and step count t) across fit
    // calls: without shuffling, fit(1) twice must equal fit(2) to the bit. A fresh
    // optimizer for the second call would restart Adam's bias correction at t = 1.
    let (x, y) = data();
    let mut twice = model(5);
    twice.compile(compile_named("adam")).expect("compiles");
    let h1 = twice
        .fit(&x, &y, Fit::new(1).batch_size(8).shuffle(false).verbose(0))
        .expect("trains");
    let h2 = twice
        .fit(&x, &y, Fit::new(1).batch_size(8).shuffle(false).verbose(0))
        .expect("trains");
    let mut once = model(5);
    once.compile(compile_named("adam")).expect("compiles");
    let h = once
        .fit(&x, &y, Fit::new(2).batch_size(8).shuffle(false).verbose(0))
        .expect("trains");

    assert_eq!(twice.optimizer().expect("compiled").iterations(), 16);
    let losses = [h1.last("loss"), h2.last("loss")];
    assert_eq!(
        losses.map(|l| l.map(f64::to_bits)),
        [0, 1].map(|e| h.get("loss").map(|v| v[e].to_bits()))
    );
    let (p_twice, p_once) = (
        twice.predict(&x).expect("predicts"),
        once.predict(&x).expect("predicts"),
    );
    assert!(p_twice
        .iter()
        .zip(p_once.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
}

#[test]
fn a_configured_optimizer_with_schedule_and_clipping_trains() {
    let (x, y) = data();
    let mut m = model(7);
    let decay = ExponentialDecay::new(0.01, 8, 0.9).expect("valid schedule");
    let nadam = Nadam::new().learning_rate_schedule(decay).clipnorm(1.0);
    m.compile(Compile::new("sparse_categorical_crossentropy").optimizer(nadam))
        .expect("compiles");
    let h = m
        .fit(&x, &y, Fit::new(10).batch_size(8).verbose(0))
        .expect("trains");
    let loss = h.get("loss").expect("loss");
    assert!(loss[9] < loss[0], "{loss:?}");
    // after 80 steps the schedule gives 0.01 · 0.9^(80/8) = 0.0034868
    let lr = m.optimizer().expect("compiled").learning_rate();
    assert!((lr - 0.003_486_8).abs() < 1e-6, "{lr}");
}

#[test]
fn regression_losses_and_metrics_plug_into_compile() {
    // y = x₀ − x₁ learned by one linear unit; every loss named in the notes trains it and
    // the metrics are recorded in History under the names given.
    let (x, _) = data();
    let y = Array2::from_shape_fn((64, 1), |(i, _)| x[[i, 0]] - x[[i, 1]] + 2.0);
    for loss in [
        "mean_absolute_error",
        "huber",
        "mean_squared_logarithmic_error",
        "mape",
    ] {
        let mut m = Sequential::new(1);
        m.add(Dense::new(1).input_shape(&[4]));
        let spec = Compile::new(loss)
            .optimizer_name("adam")
            .metrics(&["root_mean_squared_error", "mae"]);
        m.compile(spec).expect("known loss and metrics");
        let h = m
            .fit(&x, &y, Fit::new(30).batch_size(8).verbose(0))
            .expect("trains");
        let rmse = h.get("root_mean_squared_error").expect("rmse recorded");
        assert!(
            rmse[29] < rmse[0],
            "{loss}: rmse {} → {}",
            rmse[0],
            rmse[29]
        );
        assert!(h.get("mae").is_some(), "{loss}: mae recorded");
    }
}

#[test]
fn an_unknown_optimizer_name_in_compile_lists_the_known_ones() {
    let err = model(0)
        .compile(compile_named("adamw"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("sgd, adagrad, rmsprop, adam, adadelta, nadam, adamax"),
        "{err}"
    );
}
