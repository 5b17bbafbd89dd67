//! `ReduceLROnPlateau`: lowers the learning rate when a monitored figure stops
//! improving, as Keras 3's `keras.callbacks.ReduceLROnPlateau`
//! (`keras/src/callbacks/reduce_lr_on_plateau.py`; the rule is in
//! `book/src/reference.md`, "ReduceLROnPlateau").

use super::{Callback, Context, Logs, Mode, Monitor};
use crate::error::ModelError;

/// Multiplies the learning rate by `factor` after `patience` epochs without an
/// improvement beyond `min_delta`, then waits `cooldown` epochs before counting again,
/// and never goes below `min_lr`:
///
/// ```text
/// if cooldown_counter > 0: cooldown_counter -= 1; wait = 0
/// if improves(current, best): best = current; wait = 0
/// elif cooldown_counter == 0:
///     wait += 1
///     if wait >= patience and lr > f32(min_lr):
///         lr = max(lr · factor, min_lr)        # in f64, stored as f32
///         cooldown_counter = cooldown; wait = 0
/// ```
///
/// Keras also writes the rate each epoch trained with into the logs as
/// `learning_rate`; annlab's hooks get the logs read-only, so this callback keeps that
/// column itself (`learning_rates`). An optimizer whose rate follows a schedule refuses
/// to have it set, and that error ends `fit`. A missing monitor key is an error, as in
/// `EarlyStopping`.
#[derive(Debug, Clone)]
pub struct ReduceLROnPlateau {
    monitor: Monitor,
    factor: f64,
    patience: usize,
    cooldown: usize,
    min_lr: f64,
    best: Option<f64>,
    wait: usize,
    cooldown_counter: usize,
    learning_rates: Vec<f64>,
}

impl Default for ReduceLROnPlateau {
    fn default() -> Self {
        Self::new()
    }
}

impl ReduceLROnPlateau {
    /// Keras's defaults: monitor `val_loss`, factor 0.1, patience 10, mode auto,
    /// `min_delta` 1e-4, cooldown 0, `min_lr` 0.
    pub fn new() -> Self {
        ReduceLROnPlateau {
            monitor: Monitor::new("val_loss", Mode::Auto, 1e-4),
            factor: 0.1,
            patience: 10,
            cooldown: 0,
            min_lr: 0.0,
            best: None,
            wait: 0,
            cooldown_counter: 0,
            learning_rates: Vec::new(),
        }
    }

    /// The log key watched.
    pub fn monitor(mut self, key: &str) -> Self {
        self.monitor = Monitor::new(key, self.monitor.mode(), self.monitor.min_delta());
        self
    }
    /// new lr = lr · factor; must be below 1 (checked when training begins).
    pub fn factor(mut self, factor: f64) -> Self {
        self.factor = factor;
        self
    }
    /// Epochs without improvement before reducing.
    pub fn patience(mut self, patience: usize) -> Self {
        self.patience = patience;
        self
    }
    /// Epochs after a reduction during which nothing is counted.
    pub fn cooldown(mut self, cooldown: usize) -> Self {
        self.cooldown = cooldown;
        self
    }
    /// The floor of the learning rate.
    pub fn min_lr(mut self, min_lr: f64) -> Self {
        self.min_lr = min_lr;
        self
    }
    /// The least change that counts as an improvement (its sign is ignored).
    pub fn min_delta(mut self, min_delta: f64) -> Self {
        self.monitor = Monitor::new(self.monitor.key(), self.monitor.mode(), min_delta);
        self
    }
    /// `Mode::Min`, `Mode::Max` or `Mode::Auto`.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.monitor = Monitor::new(self.monitor.key(), mode, self.monitor.min_delta());
        self
    }

    /// The learning rate each epoch trained with (Keras's `learning_rate` log column).
    pub fn learning_rates(&self) -> &[f64] {
        &self.learning_rates
    }
}

impl Callback for ReduceLROnPlateau {
    fn on_train_begin(&mut self, _ctx: &mut Context<'_>) -> Result<(), ModelError> {
        if self.factor >= 1.0 || self.factor.is_nan() {
            return Err(ModelError::Config {
                what: "ReduceLROnPlateau factor".into(),
                why: format!(
                    "must be < 1.0 (it multiplies the rate), got {}",
                    self.factor
                ),
            });
        }
        self.best = None;
        self.wait = 0;
        self.cooldown_counter = 0;
        self.learning_rates.clear();
        Ok(())
    }

    fn on_epoch_end(
        &mut self,
        _epoch: usize,
        logs: &Logs,
        ctx: &mut Context<'_>,
    ) -> Result<(), ModelError> {
        let lr = ctx.optimizer().learning_rate();
        self.learning_rates.push(f64::from(lr)); // the rate this epoch trained with
        let current = self.monitor.current(logs, "ReduceLROnPlateau")?;
        if self.cooldown_counter > 0 {
            self.cooldown_counter -= 1;
            self.wait = 0;
        }
        if self.monitor.is_improvement(current, self.best)? {
            self.best = Some(current);
            self.wait = 0;
        } else if self.cooldown_counter == 0 {
            self.wait += 1;
            // Keras compares the f32 rate with min_lr cast to f32
            if self.wait >= self.patience && lr > self.min_lr as f32 {
                let new_lr = (f64::from(lr) * self.factor).max(self.min_lr);
                ctx.optimizer().set_learning_rate(new_lr as f32)?;
                self.cooldown_counter = self.cooldown;
                self.wait = 0;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::scripted::Script;
    use crate::optimizers::{ExponentialDecay, Optimizer, SGD};

    #[test]
    fn the_rate_halves_after_each_plateau_waits_out_the_cooldown_and_stops_at_min_lr() {
        // a flat val_loss never improves after epoch 0. patience 1, cooldown 2: reduce at
        // epoch 1, cooldown 2 → 1 at epoch 2 and 1 → 0 at epoch 3, which counts again and
        // reduces; the same at 5, where the halving 0.00125 is floored to 0.002; from
        // then on lr is not > min_lr.
        let mut cb = ReduceLROnPlateau::new()
            .factor(0.5)
            .patience(1)
            .cooldown(2)
            .min_lr(0.002);
        let mut script = Script::with_optimizer(Box::new(SGD::new().learning_rate(0.01)));
        script.run(&mut cb, "val_loss", &[1.0; 9]).unwrap();
        // halving a float is exact, so 0.01f32 · 0.5 is 0.005f32
        let trained: Vec<f32> = cb.learning_rates().iter().map(|&r| r as f32).collect();
        assert_eq!(
            trained,
            [0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025, 0.002, 0.002, 0.002]
        );
        assert_eq!(script.optimizer.learning_rate(), 0.002);
    }

    #[test]
    fn improvements_reset_the_count() {
        let mut cb = ReduceLROnPlateau::new().factor(0.5).patience(2);
        let mut script = Script::with_optimizer(Box::new(SGD::new().learning_rate(0.01)));
        // epoch 1 waits, 0.9 and 0.8 improve and reset the count, then 0.8 twice more:
        // reduced at the end of epoch 5 only, so every epoch trained with 0.01
        script
            .run(&mut cb, "val_loss", &[1.0, 1.0, 0.9, 0.8, 0.8, 0.8])
            .unwrap();
        let trained: Vec<f32> = cb.learning_rates().iter().map(|&r| r as f32).collect();
        assert_eq!(trained, [0.01; 6]);
        assert_eq!(script.optimizer.learning_rate(), 0.005);
    }

    #[test]
    fn an_optimizer_driven_by_a_schedule_makes_the_reduction_an_error() {
        let decay = ExponentialDecay::new(0.1, 1000, 0.96).unwrap();
        let mut script =
            Script::with_optimizer(Box::new(SGD::new().learning_rate_schedule(decay)));
        let mut cb = ReduceLROnPlateau::new().patience(1);
        let err = script.run(&mut cb, "val_loss", &[1.0, 1.0]).unwrap_err();
        assert!(err.to_string().contains("schedule"), "{err}");
    }

    #[test]
    fn a_factor_of_one_or_more_is_refused() {
        let mut cb = ReduceLROnPlateau::new().factor(1.0);
        let err = Script::new().run(&mut cb, "val_loss", &[1.0]).unwrap_err();
        assert!(err.to_string().contains("factor"), "{err}");
    }
}
