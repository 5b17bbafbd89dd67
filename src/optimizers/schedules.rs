//! Learning-rate schedules: the learning rate as a function of the number of steps
//! taken so far (Keras's `optimizer.iterations`), as `keras.optimizers.schedules`.

use std::fmt::Debug;

use super::{non_negative, positive, LearningRateConfig};
use crate::error::ModelError;

/// A learning rate that depends on the step count `step` = steps already taken (0 for
/// the first update). Implement it to write your own schedule.
pub trait LearningRateSchedule: Debug + Send + Sync {
    /// The learning rate of the update that follows `step` earlier updates.
    fn at(&self, step: u64) -> f32;

    /// The schedule as data, for a saved model; `None` (the default) for a schedule
    /// that cannot be rebuilt from data, such as a learner's own.
    fn config(&self) -> Option<LearningRateConfig> {
        None
    }
}

// ANCHOR: exponential
/// `ExponentialDecay(initial_learning_rate, decay_steps, decay_rate, staircase=False)`:
/// lr(step) = lr₀ · rate^(step / decay_steps), the exponent floored when `staircase`.
/// With `staircase` this is the classic step decay: multiply by `rate` every
/// `decay_steps` steps.
#[derive(Debug, Clone, PartialEq)]
pub struct ExponentialDecay {
    initial_learning_rate: f32,
    decay_steps: u64,
    decay_rate: f32,
    staircase: bool,
}

impl ExponentialDecay {
    /// Smooth decay. Fails unless `initial_learning_rate` is finite and ≥ 0,
    /// `decay_steps` ≥ 1 (as Keras) and `decay_rate` finite and > 0 (a negative rate
    /// raised to a fractional power is NaN).
    pub fn new(
        initial_learning_rate: f32,
        decay_steps: u64,
        decay_rate: f32,
    ) -> Result<Self, ModelError> {
        non_negative(
            "ExponentialDecay initial_learning_rate",
            initial_learning_rate,
        )?;
        if decay_steps == 0 {
            return Err(ModelError::Config {
                what: "ExponentialDecay decay_steps".into(),
                why: "must be at least 1, got 0".into(),
            });
        }
        positive("ExponentialDecay decay_rate", decay_rate)?;
        Ok(ExponentialDecay {
            initial_learning_rate,
            decay_steps,
            decay_rate,
            staircase: false,
        })
    }

    /// Decay at discrete intervals: the exponent is ⌊step / decay_steps⌋.
    pub fn staircase(mut self, staircase: bool) -> Self {
        self.staircase = staircase;
        self
    }
}

impl LearningRateSchedule for ExponentialDecay {
    fn config(&self) -> Option<LearningRateConfig> {
        Some(LearningRateConfig::ExponentialDecay {
            initial_learning_rate: self.initial_learning_rate,
            decay_steps: self.decay_steps,
            decay_rate: self.decay_rate,
            staircase: self.staircase,
        })
    }
    fn at(&self, step: u64) -> f32 {
        let mut p = step as f64 / self.decay_steps as f64;
        if self.staircase {
            p = p.floor();
        }
        (f64::from(self.initial_learning_rate) * f64::from(self.decay_rate).powf(p))
            as f32
    }
}
// ANCHOR_END: exponential

// ANCHOR: piecewise
/// `PiecewiseConstantDecay(boundaries, values)`: `values[0]` while
/// `step ≤ boundaries[0]`, `values[i]` while `boundaries[i−1] < step ≤ boundaries[i]`,
/// the last value after the last boundary. The general step decay.
#[derive(Debug, Clone, PartialEq)]
pub struct PiecewiseConstantDecay {
    boundaries: Vec<u64>,
    values: Vec<f32>,
}

impl PiecewiseConstantDecay {
    /// Fails unless there is one more value than boundaries, the boundaries increase and
    /// every value is a learning rate (finite and ≥ 0).
    pub fn new(boundaries: &[u64], values: &[f32]) -> Result<Self, ModelError> {
        if values.len() != boundaries.len() + 1 {
            return Err(ModelError::Config {
                what: "PiecewiseConstantDecay".into(),
                why: format!(
                    "the length of boundaries should be 1 less than the length of \
                     values; received {} boundaries and {} values",
                    boundaries.len(),
                    values.len()
                ),
            });
        }
        if boundaries.windows(2).any(|w| w[0] >= w[1]) {
            return Err(ModelError::Config {
                what: "PiecewiseConstantDecay".into(),
                why: format!(
                    "boundaries must increase strictly, received {boundaries:?}"
                ),
            });
        }
        for (i, &v) in values.iter().enumerate() {
            non_negative(&format!("PiecewiseConstantDecay values[{i}]"), v)?;
        }
        Ok(PiecewiseConstantDecay {
            boundaries: boundaries.to_vec(),
            values: values.to_vec(),
        })
    }
}

impl LearningRateSchedule for PiecewiseConstantDecay {
    fn config(&self) -> Option<LearningRateConfig> {
        Some(LearningRateConfig::PiecewiseConstantDecay {
            boundaries: self.boundaries.clone(),
            values: self.values.clone(),
        })
    }
    fn at(&self, step: u64) -> f32 {
        // the number of boundaries strictly below `step` indexes the value
        let i = self.boundaries.iter().take_while(|&&b| step > b).count();
        self.values[i]
    }
}
// ANCHOR_END: piecewise

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn exponential_decay_follows_its_formula() {
        // 0.1 · 0.5^(step/10): step 0 → 0.1, step 5 → 0.1/√2 = 0.0707107, step 20 → 0.025
        let s = ExponentialDecay::new(0.1, 10, 0.5).expect("valid");
        assert_abs_diff_eq!(s.at(0), 0.1, epsilon = 1e-8);
        assert_abs_diff_eq!(s.at(5), 0.070_710_68, epsilon = 1e-7);
        assert_abs_diff_eq!(s.at(20), 0.025, epsilon = 1e-8);
    }

    #[test]
    fn staircase_exponential_decay_drops_every_decay_steps() {
        // ⌊5/10⌋ = 0 → 0.1; ⌊19/10⌋ = 1 → 0.05; ⌊20/10⌋ = 2 → 0.025
        let s = ExponentialDecay::new(0.1, 10, 0.5)
            .expect("valid")
            .staircase(true);
        assert_eq!([s.at(5), s.at(19), s.at(20)], [0.1, 0.05, 0.025]);
    }

    #[test]
    fn exponential_decay_rejects_zero_decay_steps() {
        let err = ExponentialDecay::new(0.1, 0, 0.5).unwrap_err().to_string();
        assert!(err.contains("decay_steps"), "{err}");
    }

    #[test]
    fn piecewise_constant_decay_switches_after_each_boundary() {
        // Keras: values[0] for step ≤ 100, values[1] for 100 < step ≤ 110, then values[2].
        let s =
            PiecewiseConstantDecay::new(&[100, 110], &[1.0, 0.5, 0.1]).expect("valid");
        let got: Vec<f32> = [0, 100, 101, 110, 111, 10_000]
            .iter()
            .map(|&t| s.at(t))
            .collect();
        assert_eq!(got, [1.0, 1.0, 0.5, 0.5, 0.1, 0.1]);
    }

    #[test]
    fn piecewise_constant_decay_checks_its_lengths() {
        let err = PiecewiseConstantDecay::new(&[100], &[1.0])
            .unwrap_err()
            .to_string();
        assert!(err.contains("1 less"), "{err}");
        assert!(PiecewiseConstantDecay::new(&[5, 5], &[1.0, 0.5, 0.1]).is_err());
    }
}
