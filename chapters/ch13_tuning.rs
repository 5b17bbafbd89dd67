//! Chapter 13 — fine-tuning hyperparameters: a scikit-learn-style wrapper, a randomized
//! search with cross-validation, and the learning-rate finder.
//!
//! Reproduces Hands-On ML chapter 10, "Fine-Tuning Neural Network Hyperparameters", on
//! the California-housing sets of chapter 9. The Keras lines it mirrors:
//!
//! ```python
//! def build_model(n_hidden=1, n_neurons=30, learning_rate=3e-3, input_shape=[8]):
//!     model = keras.models.Sequential()
//!     model.add(keras.layers.InputLayer(input_shape=input_shape))
//!     for layer in range(n_hidden):
//!         model.add(keras.layers.Dense(n_neurons, activation="relu"))
//!     model.add(keras.layers.Dense(1))
//!     optimizer = keras.optimizers.SGD(learning_rate=learning_rate)
//!     model.compile(loss="mse", optimizer=optimizer)
//!     return model
//!
//! keras_reg = keras.wrappers.scikit_learn.KerasRegressor(build_model)
//! keras_reg.fit(X_train, y_train, epochs=100, validation_data=(X_valid, y_valid),
//!               callbacks=[keras.callbacks.EarlyStopping(patience=10)])
//! mse_test = keras_reg.score(X_test, y_test)
//! y_pred = keras_reg.predict(X_new)
//!
//! param_distribs = {"n_hidden": [0, 1, 2, 3], "n_neurons": np.arange(1, 100),
//!                   "learning_rate": reciprocal(3e-4, 3e-2)}
//! rnd_search_cv = RandomizedSearchCV(keras_reg, param_distribs, n_iter=10, cv=3)
//! rnd_search_cv.fit(X_train, y_train, epochs=100, validation_data=(X_valid, y_valid),
//!                   callbacks=[keras.callbacks.EarlyStopping(patience=10)])
//! rnd_search_cv.best_params_, rnd_search_cv.best_score_
//! rnd_search_cv.score(X_test, y_test)
//! ```
//!
//! and, for the learning rate, HOML's `find_learning_rate` and `plot_lr_vs_loss`.
//!
//! Run: `cargo run --release --bin ch13_tuning`

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use annlab::datasets::california::{fetch_california_housing, homl_sets, HousingSets};
use annlab::plot::{figures_dir, log_x_chart, LogSeries, PlotError};
use annlab::prelude::*;
use annlab::report::{self, median, ChapterError, Figure};
use annlab::tuning::{
    cross_val_score, CandidateResult, FitParams, KerasRegressor, LrCurve, LrFinder,
    ParamDistributions, Params, RandomizedSearchCV, SearchObserver, SearchProgress,
    SearchResults, TuningError, Value,
};

/// The seed of every run of the chapter, chosen before any result was seen.
pub const SEED: u64 = 42;

// ANCHOR: build_model
/// HOML's `build_model(n_hidden=1, n_neurons=30, learning_rate=3e-3)`: `n_hidden` ReLU
/// layers of `n_neurons`, one linear output, MSE and SGD at `learning_rate`. A missing
/// parameter takes the default, as Python's keyword arguments do.
pub fn build_model(params: &Params, seed: u64) -> Result<Sequential, TuningError> {
    let n_hidden = params.usize_or("n_hidden", 1)?;
    let n_neurons = params.usize_or("n_neurons", 30)?;
    let learning_rate = params.f64_or("learning_rate", 3e-3)?;
    let mut model = Sequential::new(seed);
    for layer in 0..n_hidden {
        let dense = Dense::new(n_neurons).activation(Activation::Relu);
        model.add(if layer == 0 {
            dense.input_shape(&[8])
        } else {
            dense
        });
    }
    let output = Dense::new(1);
    model.add(if n_hidden == 0 {
        output.input_shape(&[8])
    } else {
        output
    });
    let sgd = SGD::new().learning_rate(learning_rate as f32);
    model.compile(Compile::new("mse").optimizer(sgd))?;
    Ok(model)
}
// ANCHOR_END: build_model

// ANCHOR: fit_params
/// `fit(X, y, epochs=100, validation_data=(X_valid, y_valid),
/// callbacks=[EarlyStopping(patience=10)])`: every fit, the search's included, watches
/// `val_loss` on the validation set (not on the fold's held-out rows).
pub fn fit_params(sets: &HousingSets) -> FitParams<'_> {
    FitParams::new(100)
        .validation_data(sets.valid.x.view(), sets.valid.y.view())
        .callback(|| Box::new(EarlyStopping::new().patience(10)))
}
// ANCHOR_END: fit_params

/// What the wrapped default model gives: its test MSE (−score), the epochs it ran and
/// `predict(X_test[:3])`.
pub struct Wrapped {
    pub test_mse: f64,
    pub epochs: usize,
    pub y_pred: Vec<f32>,
}

// ANCHOR: wrapper
/// `keras_reg.fit(...)`, `mse_test = keras_reg.score(X_test, y_test)` (the score is
/// −MSE: greater is better) and `keras_reg.predict(X_new)`.
pub fn wrapped_default(sets: &HousingSets, seed: u64) -> Result<Wrapped, TuningError> {
    let mut keras_reg = KerasRegressor::new(build_model).seed(seed);
    let (train, test) = (&sets.train, &sets.test);
    let epochs = keras_reg
        .fit(train.x.view(), train.y.view(), &fit_params(sets))?
        .epochs();
    let mse_test = -keras_reg.score(test.x.view(), test.y.view())?;
    let x_new = test.x.slice(s![..3, ..]);
    let y_pred = keras_reg.predict(x_new)?;
    Ok(Wrapped {
        test_mse: mse_test,
        epochs,
        y_pred: y_pred.iter().copied().collect(),
    })
}
// ANCHOR_END: wrapper

// ANCHOR: search
/// `param_distribs`: hidden layers from a list, neurons from 1..=99, the learning rate
/// log-uniform on [3e-4, 3e-2].
pub fn param_distribs() -> ParamDistributions {
    ParamDistributions::new()
        .choice("n_hidden", [0, 1, 2, 3])
        .choice("n_neurons", 1..=99)
        .log_uniform("learning_rate", 3e-4, 3e-2)
}

/// `RandomizedSearchCV(keras_reg, param_distribs, n_iter=n_iter, cv=3).fit(X_train,
/// y_train, **fit_params)` on the current rayon pool, then the best refit on all 11,610
/// training rows.
pub fn search(
    sets: &HousingSets,
    n_iter: usize,
    seed: u64,
    progress: &mut dyn SearchObserver,
) -> Result<SearchResults, TuningError> {
    let keras_reg = KerasRegressor::new(build_model);
    let rnd_search_cv = RandomizedSearchCV::new(&keras_reg, param_distribs())
        .n_iter(n_iter)
        .cv(3)
        .seed(seed);
    let (x, y) = (sets.train.x.view(), sets.train.y.view());
    rnd_search_cv.fit(x, y, &fit_params(sets), progress)
}
// ANCHOR_END: search

/// The default `build_model` scored the same way as the candidates: 3 folds, the same
/// fit arguments, seeds from the same search seed.
pub fn default_cv(sets: &HousingSets, seed: u64) -> Result<CandidateResult, TuningError> {
    let keras_reg = KerasRegressor::new(build_model);
    let (x, y) = (sets.train.x.view(), sets.train.y.view());
    cross_val_score(&keras_reg, x, y, 3, &fit_params(sets), seed)
}

/// `rnd_search_cv.score(X_test, y_test)` as an MSE: the refit best model on the test set.
pub fn best_test_mse(
    results: &mut SearchResults,
    sets: &HousingSets,
) -> Result<f64, TuningError> {
    let best = results
        .best_estimator
        .as_mut()
        .ok_or(TuningError::NotFitted("score"))?;
    Ok(-best.score(sets.test.x.view(), sets.test.y.view())?)
}

// ANCHOR: lr_finder
/// HOML's `find_learning_rate` on the default `build_model` (SGD): the rate multiplied
/// by a constant factor every batch from 1e-5 to 10 over one epoch.
pub fn lr_curve(sets: &HousingSets, seed: u64) -> Result<LrCurve, TuningError> {
    let mut model = build_model(&Params::new(), seed)?;
    LrFinder::new().run(&mut model, sets.train.x.view(), sets.train.y.view())
}
// ANCHOR_END: lr_finder

/// `ch13_lr_finder.svg`: each batch's loss and its centred average against the rate on
/// a log axis, with the turning point and HOML's rule (half of it) marked; y from the
/// lowest loss up, as HOML's `plot_lr_vs_loss`.
pub fn write_lr_figure(curve: &LrCurve, dir: &Path) -> Result<(), PlotError> {
    let zip = |ys: &[f64]| -> Vec<(f64, f64)> {
        curve
            .rates
            .iter()
            .copied()
            .zip(ys.iter().copied())
            .collect()
    };
    let (raw, smooth) = (zip(&curve.losses), zip(&curve.smoothed));
    let series = [
        LogSeries {
            name: "batch loss",
            points: &raw,
            width: 1,
        },
        LogSeries {
            name: "centred average (±5 batches)",
            points: &smooth,
            width: 3,
        },
    ];
    let mut marks = Vec::new();
    if let (Some((turn, _)), Some(rate)) = (curve.turning_point(), curve.suggestion()) {
        marks.push(("loss starts to climb", turn));
        marks.push(("HOML's rule: half of it", rate));
    }
    let lowest = curve.smoothed.iter().copied().fold(f64::INFINITY, f64::min);
    let top = curve.smoothed.first().copied().unwrap_or(1.0);
    log_x_chart(
        &dir.join("ch13_lr_finder.svg"),
        "learning-rate finder: SGD on the regression MLP",
        "learning rate (log scale)",
        "MSE",
        &series,
        &marks,
        (0.0, top.max(lowest * 4.0)),
    )
}

/// The wrapped default model's graded figure beside HOML's and Keras 3's.
pub fn wrapped_figure(wrapped: &Wrapped) -> Figure {
    let documented = "0.3409 (HOML), 0.3482–0.3706 (K3)";
    Figure::new(
        "wrapped default test MSE",
        wrapped.test_mse,
        documented,
        (0.31, 0.40),
    )
}

/// The search's graded figures: the best candidate's CV MSE below the default model's,
/// and the refit best model's test MSE at most 0.36.
pub fn search_figures(
    best_cv_mse: f64,
    default_cv_mse: f64,
    test_mse: f64,
) -> Vec<Figure> {
    let below = (0.0, default_cv_mse);
    vec![
        Figure::new(
            "best candidate CV MSE",
            best_cv_mse,
            "0.3204 (HOML); < default's",
            below,
        ),
        Figure::new(
            "refit best model test MSE",
            test_mse,
            "0.3029 (HOML)",
            (0.0, 0.36),
        ),
    ]
}

/// HOML's rules of thumb, each with what this chapter's runs say about it.
pub fn rules_of_thumb(results: &SearchResults, curve: &LrCurve) -> String {
    let best = &results.candidates[results.best_index].params;
    // the best (lowest) CV MSE among the candidates with n hidden layers, if any was drawn
    let by_layers = |n: i64| {
        let of_n = results
            .candidates
            .iter()
            .filter(|c| c.params.get("n_hidden") == Some(Value::Int(n)));
        of_n.map(|c| -c.mean_test_score).reduce(f64::min)
    };
    let layers: Vec<String> = (0..4)
        .filter_map(|n| by_layers(n).map(|mse| format!("{n}: {mse:.4}")))
        .collect();
    let epochs: Vec<f64> = results
        .candidates
        .iter()
        .flat_map(|c| c.epochs.clone())
        .map(|e| e as f64)
        .collect();
    let stopped = epochs.iter().filter(|&&e| e < 100.0).count();
    let turn = curve.turning_point().map_or(f64::NAN, |t| t.0);
    let rate = curve.suggestion().unwrap_or(f64::NAN);
    let get = |name, default| best.f64_or(name, default).unwrap_or(f64::NAN);
    let rows = [
        (
            "hidden layers",
            "start with 1 or 2; add layers until the model overfits",
            format!("best CV MSE by n_hidden drawn: {}", layers.join(", ")),
        ),
        (
            "neurons per layer",
            "the same in every layer; rather too many, then regularise",
            format!(
                "the best candidate has {:.0} per layer",
                get("n_neurons", 30.0)
            ),
        ),
        (
            "learning rate",
            "the most important: about half the rate where the loss climbs",
            format!(
                "the finder turns at {turn:.3}, suggests {rate:.3}; best drew {:.4}",
                get("learning_rate", 3e-3)
            ),
        ),
        (
            "batch size",
            "32 is a safe default (larger ones need warm-up)",
            "every fit here: 32 (242 steps per epoch on a fold)".to_string(),
        ),
        (
            "activation",
            "ReLU in the hidden layers; the output's fits the task",
            "ReLU hidden layers, a linear output: any real price".to_string(),
        ),
        (
            "epochs",
            "do not tune: train long and stop early",
            format!(
                "early stopping ended {stopped} of {} fits before 100 (median {:.0} epochs)",
                epochs.len(),
                median(&epochs)
            ),
        ),
    ];
    let mut out = String::new();
    for (name, rule, evidence) in rows {
        out += &format!("{name:<18} {rule}\n{:<18} → {evidence}\n", "");
    }
    out
}

fn main() -> Result<(), ChapterError> {
    let start = Instant::now();
    let sets = homl_sets(&fetch_california_housing()?)?;

    let wrapped = wrapped_default(&sets, SEED)?;
    println!(
        "KerasRegressor(build_model), {} epochs: test MSE {:.4}",
        wrapped.epochs, wrapped.test_mse
    );
    println!(
        "predict(X_test[:3]) = {:.4?}  (y_test[:3] = [0.477, 0.458, 5.00001])\n",
        wrapped.y_pred
    );

    // ANCHOR: run_search
    let tty = std::io::stdout().is_terminal();
    let mut progress = SearchProgress::to_writer(Box::new(std::io::stdout()), tty, 1);
    let search_start = Instant::now();
    let mut results = search(&sets, 10, SEED, &mut progress)?;
    let search_seconds = search_start.elapsed().as_secs_f64();
    println!("\n{}", results.table());
    println!("best_params_ = {{{:.5}}}", results.best_params());
    println!("best_score_  = {:.4}", results.best_score());
    // ANCHOR_END: run_search
    let default = default_cv(&sets, SEED)?;
    let test_mse = best_test_mse(&mut results, &sets)?;
    println!(
        "default build_model, same folds: mean_test_score {:.4}",
        default.mean_test_score
    );
    println!(
        "rnd_search_cv.score(X_test, y_test) = {:.4} (test MSE {test_mse:.4})\n",
        -test_mse
    );

    let curve = lr_curve(&sets, SEED)?;
    let (turn, _) = curve.turning_point().ok_or("the finder recorded no loss")?;
    let rate = curve.suggestion().ok_or("the finder recorded no loss")?;
    println!(
        "learning-rate finder: {} batches, stopped early: {}",
        curve.rates.len(),
        curve.stopped_early
    );
    println!("loss starts to climb at {turn:.4}; HOML's rule (half): {rate:.4}\n");
    let dir = figures_dir();
    write_lr_figure(&curve, &dir)?;
    println!(
        "figure written to {}\n",
        dir.join("ch13_lr_finder.svg").display()
    );

    println!("{}", rules_of_thumb(&results, &curve));
    let best_cv_mse = -results.best_score();
    let mut graded = vec![wrapped_figure(&wrapped)];
    graded.extend(search_figures(
        best_cv_mse,
        -default.mean_test_score,
        test_mse,
    ));
    println!("{}", report::table(&graded));
    let threads = rayon::current_num_threads();
    println!("randomized search (30 fits and the refit), rayon threads: {threads}");
    println!("  training time elapsed: {search_seconds:.1} s");
    println!("whole chapter:");
    println!(
        "  training time elapsed: {:.1} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
