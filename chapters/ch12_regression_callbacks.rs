//! Chapter 12 — callbacks on the regression model: saving and restoring, ModelCheckpoint,
//! EarlyStopping, a callback of one's own and TensorBoard.
//!
//! Reproduces Hands-On ML chapter 10, "Saving and Restoring a Model", "Using Callbacks"
//! and "Using TensorBoard for Visualization", on the California-housing sets of
//! `ch09_regression`. The Keras lines it mirrors, HOML's cells in order (each new model
//! after `np.random.seed(42); tf.random.set_seed(42)`):
//!
//! ```python
//! model = keras.models.Sequential([
//!     keras.layers.Dense(30, activation="relu", input_shape=[8]),
//!     keras.layers.Dense(30, activation="relu"),
//!     keras.layers.Dense(1)
//! ])
//! model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
//! history = model.fit(X_train, y_train, epochs=10, validation_data=(X_valid, y_valid))
//! mse_test = model.evaluate(X_test, y_test)
//! model.save("my_keras_model.h5")
//! model = keras.models.load_model("my_keras_model.h5")
//! model.predict(X_new)
//! model.save_weights("my_keras_weights.ckpt")
//! model.load_weights("my_keras_weights.ckpt")
//!
//! model = keras.models.Sequential([...])                    # the same 30-30-1 model
//! model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
//! checkpoint_cb = keras.callbacks.ModelCheckpoint("my_keras_model.h5",
//!                                                 save_best_only=True)
//! history = model.fit(X_train, y_train, epochs=10, validation_data=(X_valid, y_valid),
//!                     callbacks=[checkpoint_cb])
//! model = keras.models.load_model("my_keras_model.h5")     # roll back to best model
//! mse_test = model.evaluate(X_test, y_test)
//!
//! model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
//! early_stopping_cb = keras.callbacks.EarlyStopping(patience=10,
//!                                                   restore_best_weights=True)
//! history = model.fit(X_train, y_train, epochs=100, validation_data=(X_valid, y_valid),
//!                     callbacks=[checkpoint_cb, early_stopping_cb])
//! mse_test = model.evaluate(X_test, y_test)
//!
//! class PrintValTrainRatioCallback(keras.callbacks.Callback): ...
//! history = model.fit(X_train, y_train, epochs=10, validation_data=(X_valid, y_valid),
//!                     callbacks=[PrintValTrainRatioCallback()], verbose=0)
//!
//! root_logdir = os.path.join(os.curdir, "my_logs")
//! def get_run_logdir():
//!     return os.path.join(root_logdir, time.strftime("run_%Y_%m_%d-%H_%M_%S"))
//! model = keras.models.Sequential([...])                    # the same 30-30-1 model
//! model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
//! tensorboard_cb = keras.callbacks.TensorBoard(get_run_logdir())
//! history = model.fit(X_train, y_train, epochs=30, validation_data=(X_valid, y_valid),
//!                     callbacks=[tensorboard_cb])
//! # … and again with SGD(learning_rate=0.05), in a second run directory
//! # %tensorboard --logdir=./my_logs --port=6006
//! ```
//!
//! Files go to `std::env::temp_dir()/annlab-ch12/`, never into the repository; the
//! TensorBoard runs accumulate in its `my_logs/`, one directory per run, as HOML's do.
//!
//! Run: `cargo run --release --bin ch12_regression_callbacks`

use std::path::{Path, PathBuf};

use annlab::datasets::california::{fetch_california_housing, homl_sets, HousingSets};
use annlab::plot::{figures_dir, xy_chart, PlotError};
use annlab::prelude::*;
use annlab::report::{self, median, ChapterError, Figure, Run};
use annlab::saving::{load_model, load_weights, save_model, save_weights};
use annlab::train::predict;

// HOML's callback of one's own, shared with `ch08_custom_callbacks`.
#[path = "shared/print_val_train_ratio.rs"]
mod print_val_train_ratio;
pub use print_val_train_ratio::PrintValTrainRatioCallback;

/// The seed of every model in this chapter, as HOML reseeds with 42 before each.
pub const SEED: u64 = 42;

/// The seeds the early-stopping figure is graded over (the fixed five of HG 7-1's
/// grading). HOML's cells stop on a `val_loss` bump whose timing depends on the initial
/// weights, so one run's test MSE spreads more than the band is wide: 0.3452–0.4136
/// over Keras 3's seeds 0–9 (four of ten above the band, median 0.3659), 0.3406–0.4081
/// over annlab's seeds 0–7. The median of five says what is typical (see "Grading
/// decisions" in the reference).
pub const ES_SEEDS: [u64; 5] = [42, 43, 44, 45, 46];

// ANCHOR: model
/// `Sequential([Dense(30, activation="relu", input_shape=[8]), Dense(30,
/// activation="relu"), Dense(1)])`, compiled with `loss="mse"` and
/// `SGD(learning_rate)`: 8·30 + 30 = 270, 30·30 + 30 = 930 and 30 + 1 = 31 parameters.
pub fn regression_mlp(seed: u64, learning_rate: f32) -> Result<Sequential, ModelError> {
    let mut model = Sequential::new(seed);
    model.add(
        Dense::new(30)
            .activation(Activation::Relu)
            .input_shape(&[8]),
    );
    model.add(Dense::new(30).activation(Activation::Relu));
    model.add(Dense::new(1));
    model.compile(
        Compile::new("mse").optimizer(SGD::new().learning_rate(learning_rate)),
    )?;
    Ok(model)
}

/// `fit(X_train, y_train, epochs=epochs, validation_data=(X_valid, y_valid))`'s options.
pub fn with_validation(sets: &HousingSets, epochs: usize, verbose: u8) -> Fit<'_> {
    let valid = &sets.valid;
    Fit::new(epochs)
        .validation_data(&valid.x, &valid.y)
        .verbose(verbose)
}
// ANCHOR_END: model

/// Where the chapter writes its files: `<temp dir>/annlab-ch12`, outside the repository.
pub fn scratch_dir() -> Result<PathBuf, ModelError> {
    let dir = std::env::temp_dir().join("annlab-ch12");
    std::fs::create_dir_all(&dir).map_err(|source| ModelError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    Ok(dir)
}

/// The trained model's predictions on the test set, and the restored models'.
pub struct Restored {
    /// 10 epochs with validation; `evaluate` on the test set.
    pub run: Run,
    /// `model.predict(X_test)`: `[5160, 1]`.
    pub y_pred: Array2<f32>,
    /// `load_model("my_keras_model").predict(X_test)`.
    pub y_loaded: Array2<f32>,
    /// A new, untrained 30-30-1 model after `load_weights("my_keras_weights")`.
    pub y_weights: Array2<f32>,
}

// ANCHOR: save_restore
/// Trains 10 epochs, then `save` / `load_model` and `save_weights` / `load_weights`:
/// the three models' predictions on the test set.
pub fn save_and_restore(
    sets: &HousingSets,
    dir: &Path,
    verbose: u8,
) -> Result<Restored, ModelError> {
    let mut model = regression_mlp(SEED, 1e-3)?;
    let summary = model.summary()?;
    let history = model.fit(
        &sets.train.x,
        &sets.train.y,
        with_validation(sets, 10, verbose),
    )?;
    let evaluation = model.evaluate(&sets.test.x, &sets.test.y, verbose)?; // mse_test
    let y_pred = model.predict(&sets.test.x)?; // [5160, 1]

    let path = dir.join("my_keras_model.safetensors"); // the whole model
    save_model(&model, &path)?;
    let y_loaded = load_model(&path)?.predict(&sets.test.x)?;

    let weights = dir.join("my_keras_weights.safetensors"); // the weights only
    save_weights(&model, &weights)?;
    let mut new_model = regression_mlp(SEED, 1e-3)?; // the architecture comes from code
    load_weights(&mut new_model, &weights)?;
    let y_weights = new_model.predict(&sets.test.x)?;

    let run = Run {
        summary,
        history,
        evaluation,
    };
    Ok(Restored {
        run,
        y_pred,
        y_loaded,
        y_weights,
    })
}
// ANCHOR_END: save_restore

/// The checkpointed run: its History and the reloaded best model's figures.
pub struct Checkpointed {
    /// The 10 epochs' `loss` and `val_loss`.
    pub history: History,
    /// The reloaded best model's `evaluate` on the test set (HOML's `mse_test`).
    pub test_mse: f64,
    /// … and on the validation set: the best epoch's `val_loss` again.
    pub val_loss: f64,
}

// ANCHOR: checkpoint
/// `ModelCheckpoint("my_keras_model", save_best_only=True)` during 10 epochs, then
/// `load_model` of the best epoch. Returns the callback (the next cell trains on with
/// it), the reloaded model and its figures.
pub fn checkpoint(
    sets: &HousingSets,
    path: &Path,
    seed: u64,
    verbose: u8,
) -> Result<(ModelCheckpoint, Sequential, Checkpointed), ModelError> {
    let mut model = regression_mlp(seed, 1e-3)?;
    let mut checkpoint_cb = ModelCheckpoint::new(path).save_best_only(true);
    let fit = with_validation(sets, 10, verbose).callback(&mut checkpoint_cb);
    let history = model.fit(&sets.train.x, &sets.train.y, fit)?;

    let mut model = load_model(path)?; // roll back to the best model
    let test_mse = model.evaluate(&sets.test.x, &sets.test.y, verbose)?.loss;
    let val_loss = model.evaluate(&sets.valid.x, &sets.valid.y, 0)?.loss;
    let run = Checkpointed {
        history,
        test_mse,
        val_loss,
    };
    Ok((checkpoint_cb, model, run))
}
// ANCHOR_END: checkpoint

/// The early-stopping run: what it trained, where it stopped and the restored figures.
pub struct EarlyStop {
    /// History of the epochs run; `evaluate` on the test set after the restore.
    pub run: Run,
    /// `evaluate` on the validation set after the restore.
    pub val_loss: f64,
    /// 0-based epoch at which training stopped (0 when it ran all 100).
    pub stopped_epoch: usize,
    /// 0-based epoch whose weights were restored.
    pub best_epoch: usize,
    /// What the validation loss was made of, epoch by epoch.
    pub watch: DistrictWatch,
}

// ANCHOR: district
/// Splits each epoch's validation MSE into one district's squared error and the mean
/// over the others. The district is the validation row with the largest `AveOccup`:
/// 1,243 occupants per household, 525 standard deviations above the training mean,
/// while the training set's largest is 96 σ, so the network's output there is an
/// extrapolation far outside anything it was fitted on.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictWatch {
    /// Its row in the validation set.
    pub row: usize,
    /// Its target, in 100,000 USD.
    pub y: f64,
    /// The model's prediction for it after each epoch.
    pub y_hat: Vec<f64>,
    /// The validation MSE over the other rows after each epoch.
    pub others: Vec<f64>,
}

impl DistrictWatch {
    /// Watches the validation row with the largest `AveOccup` (feature 5).
    pub fn new(sets: &HousingSets) -> Self {
        let ave_occup = sets.valid.x.column(5);
        let by_value = |a: &(usize, &f32), b: &(usize, &f32)| a.1.total_cmp(b.1);
        let row = ave_occup
            .iter()
            .enumerate()
            .max_by(by_value)
            .map_or(0, |m| m.0);
        DistrictWatch {
            row,
            y: f64::from(sets.valid.y[[row, 0]]),
            y_hat: Vec::new(),
            others: Vec::new(),
        }
    }

    /// The district's squared error after `epoch`.
    pub fn squared_error(&self, epoch: usize) -> f64 {
        (self.y_hat[epoch] - self.y).powi(2)
    }
}

/// `DistrictWatch` as a callback of one's own: after each epoch it predicts the
/// validation set with the model `fit` hands it and records the split.
struct Watching<'a> {
    watch: DistrictWatch,
    sets: &'a HousingSets,
}

impl Callback for Watching<'_> {
    fn on_epoch_end(
        &mut self,
        _: usize,
        _: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let (valid, row) = (&self.sets.valid, self.watch.row);
        let y_hat = predict(ctx.model(), &[valid.x.view().into_dyn()])?; // [3870, 1]
        let squared = |(&p, &y): (&f32, &f32)| (f64::from(p) - f64::from(y)).powi(2);
        let errors = y_hat.iter().zip(&valid.y).map(squared); // (ŷᵢ − yᵢ)²
        let others = errors
            .enumerate()
            .filter(|&(i, _)| i != row)
            .map(|(_, e)| e);
        let n_others = (valid.y.len() - 1) as f64;
        self.watch.y_hat.push(f64::from(y_hat[[row, 0]]));
        self.watch.others.push(others.sum::<f64>() / n_others);
        Ok(())
    }
}
// ANCHOR_END: district

// ANCHOR: early_stopping
/// Recompiles the reloaded best model and trains it on for up to 100 epochs with the
/// same checkpoint and `EarlyStopping(patience=10, restore_best_weights=True)`.
pub fn early_stopping(
    model: &mut Sequential,
    checkpoint_cb: &mut ModelCheckpoint,
    sets: &HousingSets,
    verbose: u8,
) -> Result<EarlyStop, ModelError> {
    model.compile(Compile::new("mse").optimizer(SGD::new().learning_rate(1e-3)))?;
    let mut early_stopping_cb =
        EarlyStopping::new().patience(10).restore_best_weights(true);
    let mut watch_cb = Watching {
        watch: DistrictWatch::new(sets),
        sets,
    };
    let fit = with_validation(sets, 100, verbose)
        .callback(checkpoint_cb)
        .callback(&mut early_stopping_cb)
        .callback(&mut watch_cb); // only looks: the run is the same without it
    let history = model.fit(&sets.train.x, &sets.train.y, fit)?;
    let evaluation = model.evaluate(&sets.test.x, &sets.test.y, verbose)?; // mse_test
    let val_loss = model.evaluate(&sets.valid.x, &sets.valid.y, 0)?.loss;
    let summary = model.summary()?;
    Ok(EarlyStop {
        run: Run {
            summary,
            history,
            evaluation,
        },
        val_loss,
        stopped_epoch: early_stopping_cb.stopped_epoch(),
        best_epoch: early_stopping_cb.best_epoch(),
        watch: watch_cb.watch,
    })
}
// ANCHOR_END: early_stopping

// ANCHOR: ratio
/// HOML's own callback on 10 more epochs of the model: it prints val_loss / loss after
/// each epoch. Returns the callback (with the ratios it printed) and the History.
pub fn val_train_ratio(
    model: &mut Sequential,
    sets: &HousingSets,
) -> Result<(PrintValTrainRatioCallback, History), ModelError> {
    let mut val_train_ratio_cb = PrintValTrainRatioCallback::default();
    let fit = with_validation(sets, 10, 0).callback(&mut val_train_ratio_cb);
    let history = model.fit(&sets.train.x, &sets.train.y, fit)?;
    Ok((val_train_ratio_cb, history))
}
// ANCHOR_END: ratio

// ANCHOR: tensorboard
/// A new 30-30-1 model trained `epochs` epochs with `SGD(learning_rate)` and
/// `TensorBoard(run_logdir)`, `run_logdir` being a new `root/run_%Y_%m_%d-%H_%M_%S`
/// (HOML's `get_run_logdir()`). Returns the run directory and the History.
pub fn tensorboard_run(
    sets: &HousingSets,
    root: &Path,
    learning_rate: f32,
    epochs: usize,
) -> Result<(PathBuf, History), ModelError> {
    let run_logdir = run_logdir(root)?; // created now: each run has its own
    let mut model = regression_mlp(SEED, learning_rate)?;
    let mut tensorboard_cb = TensorBoard::new(&run_logdir); // train/ and validation/
    let fit = with_validation(sets, epochs, 0).callback(&mut tensorboard_cb);
    let history = model.fit(&sets.train.x, &sets.train.y, fit)?;
    Ok((run_logdir, history))
}
// ANCHOR_END: tensorboard

/// HOML's two cells for one seed: 10 epochs with the checkpoint, the best reloaded,
/// then up to 100 epochs with early stopping (files in `dir`).
pub fn checkpoint_then_early_stopping(
    sets: &HousingSets,
    dir: &Path,
    seed: u64,
) -> Result<EarlyStop, ModelError> {
    let path = dir.join(format!("my_keras_model_{seed}.safetensors"));
    let (mut checkpoint_cb, mut model, _) = checkpoint(sets, &path, seed, 0)?;
    early_stopping(&mut model, &mut checkpoint_cb, sets, 0)
}

/// The graded figure: the median test MSE of the early-stopped model over its runs (one
/// per `ES_SEEDS`) beside HOML's and Keras 3's.
pub fn figures(runs: &[EarlyStop]) -> Vec<Figure> {
    let mse: Vec<f64> = runs.iter().map(|es| es.run.evaluation.loss).collect();
    vec![Figure::new(
        "HOML 30-30-1 early stopping test MSE (median)",
        median(&mse),
        "0.3310 (HOML), median 0.3659 (K3, seeds 0–9)",
        (0.30, 0.37),
    )]
}

/// (epoch, value) points of `key`, the epochs counted from `first` (1-based).
fn points(history: &History, key: &str, first: usize) -> Vec<(f64, f64)> {
    let ys = history.get(key).unwrap_or(&[]);
    let xs = (first..).map(|e| e as f64);
    xs.zip(ys.iter().copied()).collect()
}

/// `ch12_early_stopping.svg`: loss and val_loss of the checkpointed 10 epochs, then of
/// the early-stopping run (epochs 11, 12, …) beside its validation MSE without the
/// watched district, with marks at the restored best epoch and where training stopped.
pub fn write_early_stopping(
    first: &History,
    es: &EarlyStop,
    dir: &Path,
) -> Result<(), PlotError> {
    let then = first.epochs() + 1;
    let mut loss = points(first, "loss", 1);
    loss.extend(points(&es.run.history, "loss", then));
    let mut val_loss = points(first, "val_loss", 1);
    val_loss.extend(points(&es.run.history, "val_loss", then));
    let xs = (then..).map(|e| e as f64);
    let others: Vec<(f64, f64)> = xs.zip(es.watch.others.iter().copied()).collect();
    let all = loss
        .iter()
        .chain(&val_loss)
        .chain(&others)
        .map(|p| p.1)
        .filter(|y| y.is_finite());
    let (lo, hi) = all.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let hi = hi.min(1.0); // the first epochs start far above: show the part that moves
    let mark =
        |epoch: usize| vec![((then + epoch) as f64, lo), ((then + epoch) as f64, hi)];
    let loss: Vec<(f64, f64)> = loss.into_iter().filter(|p| p.1 <= hi).collect();
    let val_loss: Vec<(f64, f64)> = val_loss.into_iter().filter(|p| p.1 <= hi).collect();
    let without = format!("val_loss without district {}", es.watch.row);
    let best = format!("best epoch {} (restored)", then + es.best_epoch);
    let stop = format!("stopped at epoch {}", then + es.stopped_epoch);
    xy_chart(
        &dir.join("ch12_early_stopping.svg"),
        "checkpoint (epochs 1–10), then EarlyStopping(patience=10)",
        "epoch",
        "mean squared error",
        &[
            ("loss", &loss),
            ("val_loss", &val_loss),
            (&without, &others),
            (&best, &mark(es.best_epoch)),
            (&stop, &mark(es.stopped_epoch)),
        ],
    )
}

/// `ch12_tensorboard_runs.svg`: the val_loss curves of the two TensorBoard runs, as
/// TensorBoard's Scalars tab overlays `epoch_loss` of the runs' `validation/`.
pub fn write_runs(runs: &[(&str, &History)], dir: &Path) -> Result<(), PlotError> {
    let curves: Vec<(String, Vec<(f64, f64)>)> = runs
        .iter()
        .map(|(name, h)| (format!("{name}: val_loss"), points(h, "val_loss", 1)))
        .collect();
    let series: Vec<(&str, &[(f64, f64)])> = curves
        .iter()
        .map(|(name, pts)| (name.as_str(), pts.as_slice()))
        .collect();
    xy_chart(
        &dir.join("ch12_tensorboard_runs.svg"),
        "two runs in my_logs: validation epoch_loss",
        "epoch",
        "mean squared error",
        &series,
    )
}

/// `h[key][epoch]`, or NaN.
fn at(h: &History, key: &str, epoch: usize) -> f64 {
    h.get(key)
        .and_then(|v| v.get(epoch))
        .copied()
        .unwrap_or(f64::NAN)
}

fn main() -> Result<(), ChapterError> {
    let housing = fetch_california_housing()?; // data [20640, 8], target [20640]
    let sets = homl_sets(&housing)?; // 11,610 / 3,870 / 5,160 rows, scaled on train
    let dir = scratch_dir()?;

    println!("== saving and restoring: 30-30-1, SGD(1e-3), 10 epochs ==\n");
    let restored = save_and_restore(&sets, &dir, 1)?;
    println!("\n{}", restored.run.summary);
    println!(
        "evaluate on test → mse {:.4}\n",
        restored.run.evaluation.loss
    );
    println!("saved {}", dir.join("my_keras_model.safetensors").display());
    println!(
        "  and {}\n",
        dir.join("my_keras_weights.safetensors").display()
    );
    println!("X_test[:3]   predict    load_model   new model + load_weights");
    for i in 0..3 {
        let (a, b, c) = (
            restored.y_pred[[i, 0]],
            restored.y_loaded[[i, 0]],
            restored.y_weights[[i, 0]],
        );
        println!("{i:>10}   {a:>7.4}    {b:>10.4}   {c:>23.4}");
    }
    let same = |y: &Array2<f32>| {
        y.iter()
            .zip(&restored.y_pred)
            .all(|(a, b)| a.to_bits() == b.to_bits())
    };
    println!(
        "all 5,160 test predictions identical to the last bit: {} and {}\n",
        same(&restored.y_loaded),
        same(&restored.y_weights)
    );

    println!(
        "== ModelCheckpoint(\"my_keras_model\", save_best_only=True), 10 epochs ==\n"
    );
    let path = dir.join("my_keras_model.safetensors");
    let (mut checkpoint_cb, mut model, ckpt) = checkpoint(&sets, &path, SEED, 0)?;
    let best = checkpoint_cb.best_epoch().unwrap_or(0);
    println!(
        "checkpoint written {} times; best epoch {} (val_loss {:.4})",
        checkpoint_cb.writes(),
        best + 1,
        at(&ckpt.history, "val_loss", best)
    );
    println!("load_model → evaluate on valid: {:.4}", ckpt.val_loss);
    println!(
        "load_model → evaluate on test (mse_test): {:.4}\n",
        ckpt.test_mse
    );

    println!(
        "== EarlyStopping(patience=10, restore_best_weights=True), up to 100 epochs ==\n"
    );
    let writes_before = checkpoint_cb.writes();
    let es = early_stopping(&mut model, &mut checkpoint_cb, &sets, 0)?;
    let (h, w) = (&es.run.history, &es.watch);
    println!(
        "epoch      loss  val_loss   district {} (y = {}): y_hat  others' MSE",
        w.row, w.y
    );
    for epoch in 0..h.epochs() {
        let (loss, val) = (at(h, "loss", epoch), at(h, "val_loss", epoch));
        let (y_hat, others) = (w.y_hat[epoch], w.others[epoch]);
        let tag = match epoch {
            e if e == es.best_epoch => "  ← best",
            e if e == es.stopped_epoch && e > 0 => "  ← stop",
            _ => "",
        };
        println!(
            "{:>5}  {loss:>8.4}  {val:>8.4}  {y_hat:>33.2}  {others:>11.4}{tag}",
            epoch + 1
        );
    }
    println!(
        "\nstopped_epoch: {} (0-based; {} epochs ran)",
        es.stopped_epoch,
        h.epochs()
    );
    println!("best epoch (0-based, restored): {}", es.best_epoch);
    println!("evaluate on valid after the restore: {:.4}", es.val_loss);
    println!("evaluate on test (mse_test): {:.4}", es.run.evaluation.loss);
    println!(
        "the checkpoint was written {} more times\n",
        checkpoint_cb.writes() - writes_before
    );
    let figures_path = figures_dir();
    write_early_stopping(&ckpt.history, &es, &figures_path)?;
    println!(
        "figure written to {}\n",
        figures_path.join("ch12_early_stopping.svg").display()
    );

    println!("== PrintValTrainRatioCallback, 10 more epochs ==\n");
    let (_ratio_cb, _history) = val_train_ratio(&mut model, &sets)?;

    println!("\n== TensorBoard: two runs of 30 epochs, SGD(1e-3) and SGD(0.05) ==\n");
    let root = dir.join("my_logs");
    let (run_1, slow) = tensorboard_run(&sets, &root, 1e-3, 30)?;
    let (run_2, fast) = tensorboard_run(&sets, &root, 0.05, 30)?;
    for (lr, run, h) in [("1e-3", &run_1, &slow), ("0.05", &run_2, &fast)] {
        let name = run.file_name().unwrap_or_default().to_string_lossy();
        println!(
            "SGD({lr}) → my_logs/{name}/{{train,validation}}/\n    epoch 30: loss {:.4}, val_loss {:.4}",
            at(h, "loss", 29),
            at(h, "val_loss", 29)
        );
    }
    write_runs(&[("SGD(1e-3)", &slow), ("SGD(0.05)", &fast)], &figures_path)?;
    println!(
        "figure written to {}",
        figures_path.join("ch12_tensorboard_runs.svg").display()
    );
    println!("\nto see the curves, run:\n");
    println!("    tensorboard --logdir={} --port=6006\n", root.display());
    println!("and open http://localhost:6006\n");

    println!(
        "the two cells again from seeds {ES_SEEDS:?}: test MSE after early stopping"
    );
    let mut runs = vec![es];
    for &seed in &ES_SEEDS[1..] {
        runs.push(checkpoint_then_early_stopping(&sets, &dir, seed)?);
    }
    for (seed, run) in ES_SEEDS.iter().zip(&runs) {
        let epochs = run.run.history.epochs();
        println!(
            "  seed {seed}: {:.4} ({epochs} epochs, best {})",
            run.run.evaluation.loss, run.best_epoch
        );
    }
    println!("\n{}", report::table(&figures(&runs)));
    let es = &runs[0];
    println!("seconds per epoch: {:.4}", es.run.history.mean_seconds());
    Ok(())
}
