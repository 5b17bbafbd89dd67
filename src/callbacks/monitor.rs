//! `Monitor`: the figure a callback watches and what counts as an improvement of it —
//! Keras 3's `MonitorCallback` (`keras/src/callbacks/monitor_callback.py`), shared by
//! `EarlyStopping`, `ReduceLROnPlateau` and checkpoints.

use super::Logs;
use crate::error::ModelError;

/// Which way a monitored figure should go (Keras's `mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Decided from the name: losses and errors go down, accuracies up.
    #[default]
    Auto,
    /// Lower is better.
    Min,
    /// Higher is better.
    Max,
}

/// A monitored log key, its direction and the least change that counts.
///
/// `min_delta` is kept as |min_delta| and an improvement is strict:
/// min: `current + |min_delta| < best`; max: `current − |min_delta| > best`; and with no
/// `best` yet, any figure is an improvement.
#[derive(Debug, Clone, PartialEq)]
pub struct Monitor {
    key: String,
    mode: Mode,
    min_delta: f64,
}

impl Monitor {
    /// Watches `key` (e.g. `"val_loss"`) with `mode` and a least change of `min_delta`.
    pub fn new(key: &str, mode: Mode, min_delta: f64) -> Self {
        Monitor {
            key: key.to_string(),
            mode,
            min_delta: min_delta.abs(),
        }
    }

    /// The log key watched.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The mode as given (`Auto` unresolved).
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// |min_delta|.
    pub fn min_delta(&self) -> f64 {
        self.min_delta
    }

    /// The direction, with `Auto` resolved as Keras does: strip a `val_` prefix; a name
    /// ending in `loss` or naming an error (`mse`, `mean_absolute_error`, …) is `Min`,
    /// an accuracy (or `auc`, `precision`, `recall`, `cosine_similarity`) is `Max`;
    /// any other name is an error asking for an explicit mode.
    pub fn direction(&self) -> Result<Mode, ModelError> {
        if self.mode != Mode::Auto {
            return Ok(self.mode);
        }
        let name = self.key.strip_prefix("val_").unwrap_or(&self.key);
        let up = name.contains("accuracy")
            || name == "acc"
            || name.ends_with("_acc")
            || ["auc", "precision", "recall", "cosine_similarity"].contains(&name);
        let down = name.ends_with("loss")
            || name.contains("error")
            || ["mse", "mae", "mape", "msle", "rmse"].contains(&name)
            || name.ends_with("crossentropy");
        match (up, down) {
            (true, false) => Ok(Mode::Max),
            (false, true) => Ok(Mode::Min),
            _ => Err(ModelError::Config {
                what: format!("mode for monitor {:?}", self.key),
                why: "\"auto\" cannot tell whether it should go up or down: \
                      give Mode::Min or Mode::Max"
                    .into(),
            }),
        }
    }

    /// Whether `current` improves on `reference` (always, when there is none). A NaN
    /// never does — as in Keras, whose reference starts at ±inf — so a diverged epoch is
    /// never kept as the best (weights restored, checkpoint saved).
    pub fn is_improvement(
        &self,
        current: f64,
        reference: Option<f64>,
    ) -> Result<bool, ModelError> {
        if current.is_nan() {
            return Ok(false);
        }
        let Some(reference) = reference else {
            return Ok(true);
        };
        Ok(match self.direction()? {
            Mode::Max => current - self.min_delta > reference,
            _ => current + self.min_delta < reference,
        })
    }

    /// The watched figure in `logs`. Keras warns and skips an epoch without it; annlab's
    /// `fit` validates every epoch, so a key missing once is missing always (typically
    /// `val_loss` without `validation_data`): that is an error naming the keys there are.
    pub fn current(&self, logs: &Logs, who: &str) -> Result<f64, ModelError> {
        logs.get(&self.key).ok_or_else(|| ModelError::Data {
            what: format!("{who} monitor {:?}", self.key),
            expected: "a key of the epoch logs (val_ keys need fit's validation_data)"
                .into(),
            found: format!("only [{}]", logs.keys().collect::<Vec<_>>().join(", ")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_mode_minimises_losses_and_maximises_accuracies() {
        let dir = |key: &str| Monitor::new(key, Mode::Auto, 0.0).direction().ok();
        assert_eq!(dir("val_loss"), Some(Mode::Min));
        assert_eq!(dir("loss"), Some(Mode::Min));
        assert_eq!(dir("val_mean_squared_error"), Some(Mode::Min));
        assert_eq!(dir("val_accuracy"), Some(Mode::Max));
        assert_eq!(dir("sparse_categorical_accuracy"), Some(Mode::Max));
        assert_eq!(dir("learning_rate"), None);
    }

    #[test]
    fn improvement_is_strict_beyond_min_delta_in_either_direction() {
        // 0.25 and 0.5 are exact in binary, so the sums below are exact
        let min = Monitor::new("val_loss", Mode::Auto, -0.25);
        assert!(min.is_improvement(5.0, None).unwrap());
        assert!(min.is_improvement(0.5, Some(1.0)).unwrap()); // 0.75 < 1
        assert!(!min.is_improvement(0.75, Some(1.0)).unwrap()); // 1.0 is not < 1
        let max = Monitor::new("val_accuracy", Mode::Max, 0.25);
        assert!(max.is_improvement(1.5, Some(1.0)).unwrap());
        assert!(!max.is_improvement(1.25, Some(1.0)).unwrap());
    }

    #[test]
    fn a_nan_is_never_an_improvement_even_on_the_first_epoch() {
        for key in ["val_loss", "val_accuracy"] {
            let m = Monitor::new(key, Mode::Auto, 0.0);
            assert!(!m.is_improvement(f64::NAN, None).unwrap());
            assert!(!m.is_improvement(f64::NAN, Some(0.5)).unwrap());
        }
    }

    #[test]
    fn a_missing_key_is_an_error_naming_the_keys_there_are() {
        let logs: Logs = [("loss", 0.5), ("accuracy", 0.8)].into_iter().collect();
        let err = Monitor::new("val_loss", Mode::Auto, 0.0)
            .current(&logs, "EarlyStopping")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"val_loss\"") && err.contains("[accuracy, loss]"),
            "{err}"
        );
    }
}
