//! `EarlyStopping`: stops training when a monitored figure has stopped improving, as
//! Keras 3's `keras.callbacks.EarlyStopping` (`keras/src/callbacks/early_stopping.py`;
//! the rule is written out in `book/src/reference.md`, "EarlyStopping").

use ndarray::ArrayD;

use super::{Callback, Context, Logs, Mode, Monitor};
use crate::error::ModelError;

/// Stops `fit` once `monitor` has gone `patience` epochs without improving by more than
/// `min_delta`, and, with `restore_best_weights`, puts back the best epoch's weights.
///
/// HG 7-3's cell — `EarlyStopping(patience=2, restore_best_weights=True)` beside a
/// `ModelCheckpoint(save_best_only=True)` — on a toy problem:
///
/// ```
/// use annlab::callbacks::{EarlyStopping, ModelCheckpoint};
/// use annlab::prelude::*;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // 64 points of the plane, labelled by which side of a wavy line they fall
/// let x = Array2::from_shape_fn((64, 2), |(i, j)| ((i * 7 + j * 3) % 11) as f32 / 11.0);
/// let y: Vec<usize> = (0..64).map(|i| usize::from((i * 7) % 11 > 5)).collect();
/// let (x_train, x_val) = (x.slice(s![..48, ..]).to_owned(), x.slice(s![48.., ..]).to_owned());
/// let (y_train, y_val) = (y[..48].to_vec(), y[48..].to_vec());
///
/// let mut model = Sequential::new(42);
/// model.add(Dense::new(16).activation(Activation::Relu).input_shape(&[2]));
/// model.add(Dense::new(2).activation(Activation::Softmax));
/// model.compile(
///     Compile::new("sparse_categorical_crossentropy").optimizer(Adam::new().learning_rate(0.05)),
/// )?;
/// let mut early = EarlyStopping::new().patience(2).restore_best_weights(true);
/// let path = std::env::temp_dir().join(format!("annlab-best-{}.safetensors", std::process::id()));
/// let mut best = ModelCheckpoint::new(&path).save_best_only(true);
/// let history = model.fit(
///     &x_train,
///     &y_train,
///     Fit::new(100)
///         .validation_data(&x_val, &y_val)
///         .callback(&mut early)
///         .callback(&mut best)
///         .verbose(0),
/// )?;
/// // the best epoch's weights are back: evaluate gives its val_loss, to the last bit
/// let val_loss = history.get("val_loss").expect("validation data was given");
/// let lowest = val_loss.iter().copied().fold(f64::INFINITY, f64::min);
/// assert_eq!(model.evaluate(&x_val, &y_val, 0)?.loss, lowest);
/// assert!(best.writes() >= 1 && path.exists()); // and the best model is on disk
/// # std::fs::remove_file(&path)?;
/// # Ok(())
/// # }
/// ```
///
/// Keras 3's rule, epoch by epoch (0-based) from `start_from_epoch` on:
///
/// ```text
/// wait += 1
/// if improves(current, best):            # strict, beyond |min_delta|
///     best = current; best_epoch = epoch; keep weights
///     if baseline is None or improves(current, baseline): wait = 0
/// elif wait >= patience and epoch > 0:
///     stopped_epoch = epoch; stop training
/// ```
///
/// and at the end of training the kept weights are restored — whether or not training
/// stopped early. A monitor key missing from the epoch logs is an error naming the keys
/// there are (Keras warns and carries on; a library cannot print, and annlab's `fit`
/// validates every epoch, so a key missing once would be missing always and the callback
/// would silently never act).
#[derive(Debug, Clone)]
pub struct EarlyStopping {
    monitor: Monitor,
    patience: usize,
    baseline: Option<f64>,
    restore_best_weights: bool,
    start_from_epoch: usize,
    wait: usize,
    stopped_epoch: usize,
    best: Option<f64>,
    best_epoch: usize,
    best_weights: Option<Vec<ArrayD<f32>>>,
}

impl Default for EarlyStopping {
    fn default() -> Self {
        Self::new()
    }
}

impl EarlyStopping {
    /// Keras's defaults: monitor `val_loss`, `min_delta` 0, `patience` 0, mode auto, no
    /// baseline, no restoring, from epoch 0.
    pub fn new() -> Self {
        EarlyStopping {
            monitor: Monitor::new("val_loss", Mode::Auto, 0.0),
            patience: 0,
            baseline: None,
            restore_best_weights: false,
            start_from_epoch: 0,
            wait: 0,
            stopped_epoch: 0,
            best: None,
            best_epoch: 0,
            best_weights: None,
        }
    }

    /// The log key watched, e.g. `"val_accuracy"`.
    pub fn monitor(mut self, key: &str) -> Self {
        self.monitor = Monitor::new(key, self.monitor.mode(), self.monitor.min_delta());
        self
    }
    /// The least change that counts as an improvement (its sign is ignored).
    pub fn min_delta(mut self, min_delta: f64) -> Self {
        self.monitor = Monitor::new(self.monitor.key(), self.monitor.mode(), min_delta);
        self
    }
    /// Epochs without improvement before stopping.
    pub fn patience(mut self, patience: usize) -> Self {
        self.patience = patience;
        self
    }
    /// `Mode::Min`, `Mode::Max`, or `Mode::Auto` (from the monitor's name).
    pub fn mode(mut self, mode: Mode) -> Self {
        self.monitor = Monitor::new(self.monitor.key(), mode, self.monitor.min_delta());
        self
    }
    /// A figure the monitor must beat before `wait` resets.
    pub fn baseline(mut self, baseline: f64) -> Self {
        self.baseline = Some(baseline);
        self
    }
    /// Put back the best epoch's weights at the end of training.
    pub fn restore_best_weights(mut self, restore: bool) -> Self {
        self.restore_best_weights = restore;
        self
    }
    /// Epochs (0-based) before which nothing is watched (a warm-up).
    pub fn start_from_epoch(mut self, epoch: usize) -> Self {
        self.start_from_epoch = epoch;
        self
    }

    /// The 0-based epoch at which training was stopped; 0 when it ran to the end (as
    /// Keras's `stopped_epoch`: it never stops at epoch 0).
    pub fn stopped_epoch(&self) -> usize {
        self.stopped_epoch
    }
    /// The 0-based epoch of the best figure so far.
    pub fn best_epoch(&self) -> usize {
        self.best_epoch
    }
    /// The best figure so far; `None` before the first watched epoch.
    pub fn best(&self) -> Option<f64> {
        self.best
    }
}

impl Callback for EarlyStopping {
    fn on_train_begin(&mut self, _ctx: &mut Context<'_>) -> Result<(), ModelError> {
        self.wait = 0;
        self.stopped_epoch = 0;
        self.best = None;
        self.best_weights = None;
        self.best_epoch = 0;
        Ok(())
    }

    // ANCHOR: on_epoch_end
    fn on_epoch_end(
        &mut self,
        epoch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let current = self.monitor.current(logs, "EarlyStopping")?;
        if epoch < self.start_from_epoch {
            return Ok(()); // warm-up: wait untouched
        }
        if self.restore_best_weights && self.best_weights.is_none() {
            // the first watched epoch's weights, so there is always something to restore
            self.best_weights = Some(ctx.model().get_weights());
            self.best_epoch = epoch;
        }
        self.wait += 1;
        if self.monitor.is_improvement(current, self.best)? {
            self.best = Some(current);
            self.best_epoch = epoch;
            if self.restore_best_weights {
                self.best_weights = Some(ctx.model().get_weights());
            }
            // only a figure that also beats the baseline resets the count
            let beats_baseline = match self.baseline {
                None => true,
                Some(b) => self.monitor.is_improvement(current, Some(b))?,
            };
            if beats_baseline {
                self.wait = 0;
            }
            return Ok(());
        }
        if self.wait >= self.patience && epoch > 0 {
            self.stopped_epoch = epoch;
            ctx.stop_training();
        }
        Ok(())
    }
    // ANCHOR_END: on_epoch_end

    fn on_train_end(
        &mut self,
        _logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        // restored whether or not training stopped early, as Keras 3 does
        if self.restore_best_weights {
            if let Some(weights) = &self.best_weights {
                ctx.model().set_weights(weights)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::scripted::Script;

    /// HG's sequence: best at epoch 1, then two epochs without improvement.
    const VAL_LOSS: [f64; 5] = [1.0, 0.9, 0.95, 0.92, 0.91];

    /// Runs `es` over `values` of `key`; returns the epochs run and the epoch whose
    /// weights the model holds at the end.
    fn run(es: &mut EarlyStopping, key: &str, values: &[f64]) -> (usize, f32) {
        let mut script = Script::new();
        let epochs = script
            .run(es, key, values)
            .expect("scripted logs hold the key");
        (
            epochs,
            script.marked().expect("weights hold one epoch's mark"),
        )
    }

    #[test]
    fn patience_two_stops_at_the_second_epoch_without_improvement_and_restores_the_best()
    {
        // epoch 1 (0.9) is best; 0.95 (wait 1) and 0.92 (wait 2 ≥ patience) stop at 3
        let mut es = EarlyStopping::new().patience(2).restore_best_weights(true);
        let (epochs, weights) = run(&mut es, "val_loss", &VAL_LOSS);
        assert_eq!((epochs, es.stopped_epoch(), es.best_epoch()), (4, 3, 1));
        assert_eq!(es.best(), Some(0.9));
        assert_eq!(weights, 1.0);
    }

    #[test]
    fn without_restoring_the_last_epochs_weights_stay() {
        let mut es = EarlyStopping::new().patience(2);
        let (epochs, weights) = run(&mut es, "val_loss", &VAL_LOSS);
        assert_eq!((epochs, es.stopped_epoch()), (4, 3));
        assert_eq!(weights, 3.0);
    }

    #[test]
    fn min_delta_makes_small_gains_count_as_none_and_equality_is_no_gain() {
        // figures exact in binary: 0.4375 + 0.0625 = 0.5 exactly
        let values = [1.0, 0.75, 0.5, 0.4375, 0.4375];
        let mut plain = EarlyStopping::new().patience(2);
        assert_eq!(run(&mut plain, "val_loss", &values).0, 5);
        assert_eq!((plain.stopped_epoch(), plain.best_epoch()), (0, 3));
        // with min_delta 0.0625, 0.4375 is not < 0.5 − 0.0625: epochs 3 and 4 count as
        // no improvement, and it stops at 4 with epoch 2 best
        let mut es = EarlyStopping::new()
            .patience(2)
            .min_delta(-0.0625)
            .restore_best_weights(true);
        let (epochs, weights) = run(&mut es, "val_loss", &values);
        assert_eq!((epochs, es.stopped_epoch(), es.best_epoch()), (5, 4, 2));
        assert_eq!(weights, 2.0);
    }

    #[test]
    fn max_mode_watches_accuracy_going_up_and_auto_chooses_it_for_accuracy() {
        let acc = [0.5, 0.6, 0.55, 0.58, 0.59];
        for mode in [Mode::Max, Mode::Auto] {
            let mut es = EarlyStopping::new()
                .monitor("val_accuracy")
                .mode(mode)
                .patience(2)
                .restore_best_weights(true);
            let (epochs, weights) = run(&mut es, "val_accuracy", &acc);
            assert_eq!((epochs, es.stopped_epoch(), es.best_epoch()), (4, 3, 1));
            assert_eq!((es.best(), weights), (Some(0.6), 1.0));
        }
        // in min mode the same figures never improve after epoch 0
        let mut es = EarlyStopping::new()
            .monitor("val_accuracy")
            .mode(Mode::Min)
            .patience(2);
        run(&mut es, "val_accuracy", &acc);
        assert_eq!((es.stopped_epoch(), es.best_epoch()), (2, 0));
    }

    #[test]
    fn a_baseline_not_beaten_keeps_the_count_running_through_improvements() {
        // baseline 0.85: epochs 0 and 1 improve on best but not on the baseline, so wait
        // goes 1, 2, 3 and it stops at epoch 2 — one epoch before it would without
        let mut es = EarlyStopping::new()
            .patience(2)
            .baseline(0.85)
            .restore_best_weights(true);
        let (epochs, weights) = run(&mut es, "val_loss", &VAL_LOSS);
        assert_eq!((epochs, es.stopped_epoch(), es.best_epoch()), (3, 2, 1));
        assert_eq!(weights, 1.0);
        // a baseline that is beaten behaves as none
        let mut es = EarlyStopping::new().patience(2).baseline(2.0);
        assert_eq!(run(&mut es, "val_loss", &VAL_LOSS).0, 4);
    }

    #[test]
    fn start_from_epoch_ignores_the_warm_up_epochs() {
        // epochs 0–1 are not watched, so 0.9 at epoch 1 is never the best: 0.95, 0.92,
        // 0.91 improve, then 0.93, 0.94 stop it at epoch 6 with epoch 4 best
        let values = [1.0, 0.9, 0.95, 0.92, 0.91, 0.93, 0.94];
        let mut es = EarlyStopping::new()
            .patience(2)
            .start_from_epoch(2)
            .restore_best_weights(true);
        let (epochs, weights) = run(&mut es, "val_loss", &values);
        assert_eq!((epochs, es.stopped_epoch(), es.best_epoch()), (7, 6, 4));
        assert_eq!((es.best(), weights), (Some(0.91), 4.0));
    }

    #[test]
    fn best_weights_are_restored_even_when_training_never_stopped() {
        let mut es = EarlyStopping::new().patience(5).restore_best_weights(true);
        let (epochs, weights) = run(&mut es, "val_loss", &VAL_LOSS);
        assert_eq!((epochs, es.stopped_epoch(), es.best_epoch()), (5, 0, 1));
        assert_eq!(weights, 1.0);
    }

    #[test]
    fn it_never_stops_at_the_first_epoch_even_with_patience_zero() {
        let mut es = EarlyStopping::new();
        assert_eq!(run(&mut es, "val_loss", &[1.0, 1.5, 0.5]).0, 2);
        assert_eq!(es.stopped_epoch(), 1);
    }

    #[test]
    fn a_missing_monitor_key_is_an_error_naming_the_keys_there_are() {
        let mut es = EarlyStopping::new();
        let err = Script::new()
            .run(&mut es, "accuracy", &[0.5])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"val_loss\"") && err.contains("[accuracy, loss]"),
            "{err}"
        );
    }

    #[test]
    fn fit_stops_early_and_history_holds_stopped_epoch_plus_one_epochs() {
        use crate::train::{Compile, Fit, Train};
        use ndarray::{Array1, Array2};
        let x =
            Array2::from_shape_fn((32, 3), |(i, j)| ((i * 5 + j * 3) % 7) as f32 / 7.0);
        let y = Array1::from_iter((0..32).map(|i| i % 2));
        let mut model = Script::new().model;
        model
            .compile(
                Compile::new("sparse_categorical_crossentropy").optimizer_name("adam"),
            )
            .unwrap();
        // no val_loss falls by 10 in one epoch: epoch 0 is best, and it stops at epoch 2
        let mut es = EarlyStopping::new().patience(2).min_delta(10.0);
        let history = model
            .fit(
                &x,
                &y,
                Fit::new(20)
                    .verbose(0)
                    .validation_data(&x, &y)
                    .callback(&mut es),
            )
            .unwrap();
        assert_eq!(es.stopped_epoch(), 2);
        assert_eq!(history.epochs(), es.stopped_epoch() + 1);
    }
}
