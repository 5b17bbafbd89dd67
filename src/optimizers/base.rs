//! What every optimizer shares, as Keras's `BaseOptimizer` does: the step counter, the
//! learning rate (a constant or a schedule of the step), gradient clipping, and the
//! per-parameter state buffers.

use std::fmt;
use std::sync::Arc;

use super::schedules::LearningRateSchedule;
use super::{non_negative, positive};
use crate::error::ModelError;
use crate::layers::Param;

/// Gradient clipping, applied to the gradients before every update (Keras's `clipnorm`,
/// `global_clipnorm`, `clipvalue`; Keras accepts only one of them, here the last one set
/// replaces the others).
#[derive(
    Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Clip {
    #[default]
    None,
    /// Each tensor on its own: g ← g · c / max(‖g‖₂, c).
    Norm(f32),
    /// All tensors together: g ← g · c / max(√Σ‖g‖₂², c).
    GlobalNorm(f32),
    /// Element-wise: g ← min(max(g, −c), c).
    Value(f32),
}

/// The learning rate: a constant, or a schedule of the number of steps taken.
#[derive(Clone)]
pub enum LearningRate {
    Constant(f32),
    Schedule(Arc<dyn LearningRateSchedule>),
}

impl fmt::Debug for LearningRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LearningRate::Constant(lr) => write!(f, "{lr}"),
            LearningRate::Schedule(s) => write!(f, "{s:?}"),
        }
    }
}

/// Step counter, learning rate and clipping of one optimizer.
#[derive(Debug, Clone)]
pub struct Base {
    pub lr: LearningRate,
    pub clip: Clip,
    pub iterations: u64,
}

impl Base {
    /// A constant learning rate, no clipping, no steps taken.
    pub fn new(lr: f32) -> Self {
        Base {
            lr: LearningRate::Constant(lr),
            clip: Clip::None,
            iterations: 0,
        }
    }

    /// The learning rate of the next step: the schedule evaluated at `iterations`.
    pub fn learning_rate(&self) -> f32 {
        match &self.lr {
            LearningRate::Constant(lr) => *lr,
            LearningRate::Schedule(s) => s.at(self.iterations),
        }
    }

    // ANCHOR: begin_step
    /// Clips the gradients in place and returns the learning rate of this step.
    pub fn begin_step(&self, params: &mut [Param<'_>]) -> f32 {
        match self.clip {
            Clip::None => {}
            Clip::Norm(c) => {
                for p in params.iter_mut() {
                    scale_to_norm(p.grad, norm(p.grad), c);
                }
            }
            Clip::GlobalNorm(c) => {
                let sq: f64 = params.iter().map(|p| norm(p.grad).powi(2)).sum();
                for p in params.iter_mut() {
                    scale_to_norm(p.grad, sq.sqrt(), c);
                }
            }
            Clip::Value(c) => {
                for g in params.iter_mut().flat_map(|p| p.grad.iter_mut()) {
                    // clamp to ±c; max/min cannot panic where validate was skipped
                    *g = g.max(-c).min(c);
                }
            }
        }
        self.learning_rate()
    }
    // ANCHOR_END: begin_step

    /// Sets a constant learning rate; refused when a schedule drives the rate.
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<(), ModelError> {
        if let LearningRate::Schedule(s) = &self.lr {
            return Err(ModelError::Usage(format!(
                "this optimizer's learning rate follows a schedule ({s:?}): \
                 it cannot be set to {lr}"
            )));
        }
        non_negative("learning_rate", lr)?;
        self.lr = LearningRate::Constant(lr);
        Ok(())
    }

    /// The learning rate (a constant, or a schedule's rate at the current step) must be
    /// finite and ≥ 0, and a clip threshold finite and > 0.
    pub fn validate(&self) -> Result<(), ModelError> {
        match &self.lr {
            LearningRate::Constant(lr) => non_negative("learning_rate", *lr)?,
            LearningRate::Schedule(s) => non_negative(
                &format!(
                    "learning_rate given by the schedule {s:?} at step {}",
                    self.iterations
                ),
                s.at(self.iterations),
            )?,
        }
        match self.clip {
            Clip::None => Ok(()),
            Clip::Norm(c) => positive("clipnorm", c),
            Clip::GlobalNorm(c) => positive("global_clipnorm", c),
            Clip::Value(c) => positive("clipvalue", c),
        }
    }

    /// Counts the step just taken.
    pub fn end_step(&mut self) {
        self.iterations += 1;
    }
}

/// ‖g‖₂, accumulated in f64.
fn norm(g: &[f32]) -> f64 {
    g.iter()
        .map(|&v| f64::from(v) * f64::from(v))
        .sum::<f64>()
        .sqrt()
}

/// g ← g · c / max(norm, c): unchanged when norm ≤ c, else rescaled to norm c.
fn scale_to_norm(g: &mut [f32], norm: f64, c: f32) {
    if norm > f64::from(c) {
        let s = (f64::from(c) / norm) as f32;
        g.iter_mut().for_each(|v| *v *= s);
    }
}

/// Per-parameter state: one buffer per tensor, keyed by the tensor's path and created on
/// first use with `init`. Buffers sit in the order the tensors arrive, so a step finds
/// each one at its position after one string comparison.
#[derive(Default, Debug, Clone)]
pub struct Slots {
    entries: Vec<(String, Vec<f32>)>,
}

impl Slots {
    /// The buffer of the tensor at `path` (`index`-th in this step), of length `len`,
    /// created filled with `init`. An empty path is keyed by position (`"#3"`).
    pub fn get(&mut self, index: usize, path: &str, len: usize, init: f32) -> &mut [f32] {
        let positional;
        let key = if path.is_empty() {
            positional = format!("#{index}");
            positional.as_str()
        } else {
            path
        };
        let at = if self.entries.get(index).is_some_and(|e| e.0 == key) {
            index
        } else {
            let found = match self.entries.iter().position(|e| e.0 == key) {
                Some(j) => j,
                None => {
                    self.entries.push((key.to_string(), Vec::new()));
                    self.entries.len() - 1
                }
            };
            // move it to `index`, where the next step looks first
            let to = index.min(self.entries.len() - 1);
            self.entries.swap(found, to);
            to
        };
        let buf = &mut self.entries[at].1;
        if buf.len() != len {
            *buf = vec![init; len];
        }
        buf
    }

    /// Every buffer with the path of its tensor, in the order first used.
    pub fn entries(&self) -> &[(String, Vec<f32>)] {
        &self.entries
    }

    /// Every buffer, in parameter order (for tests and inspection).
    pub fn buffers(&self) -> Vec<&[f32]> {
        self.entries.iter().map(|e| e.1.as_slice()).collect()
    }

    /// Forgets every buffer.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Sets the buffer of the tensor at `path` (used when importing a state).
    pub fn insert(&mut self, path: &str, values: Vec<f32>) {
        match self.entries.iter_mut().find(|e| e.0 == path) {
            Some(e) => e.1 = values,
            None => self.entries.push((path.to_string(), values)),
        }
    }
}

/// The state accessors every optimizer implements the same way: `base`, `base_mut`,
/// `slots` and `slots_mut`, from the field `base` and the named `Slots` fields.
macro_rules! state_access {
    ($($slot:literal => $field:ident),* $(,)?) => {
        fn base(&self) -> &$crate::optimizers::Base {
            &self.base
        }
        fn base_mut(&mut self) -> &mut $crate::optimizers::Base {
            &mut self.base
        }
        fn slots(&self) -> Vec<(&'static str, &$crate::optimizers::Slots)> {
            vec![$(($slot, &self.$field)),*]
        }
        fn slots_mut(&mut self) -> Vec<(&'static str, &mut $crate::optimizers::Slots)> {
            vec![$(($slot, &mut self.$field)),*]
        }
    };
}
pub(crate) use state_access;

/// The builder methods every optimizer shares; expands inside `impl Optimizer`-type
/// structs that hold their shared state in a field `base: Base`.
macro_rules! base_builders {
    () => {
        /// A constant learning rate.
        pub fn learning_rate(mut self, lr: f32) -> Self {
            self.base.lr = $crate::optimizers::LearningRate::Constant(lr);
            self
        }
        /// A learning rate that is a function of the step count, e.g.
        /// `ExponentialDecay::new(0.1, 1000, 0.96)?` (Keras passes it as `learning_rate`).
        pub fn learning_rate_schedule(
            mut self,
            schedule: impl $crate::optimizers::LearningRateSchedule + 'static,
        ) -> Self {
            self.base.lr =
                $crate::optimizers::LearningRate::Schedule(std::sync::Arc::new(schedule));
            self
        }
        /// Keras `clipnorm`: rescale each gradient tensor to L2 norm at most `c`.
        pub fn clipnorm(mut self, c: f32) -> Self {
            self.base.clip = $crate::optimizers::Clip::Norm(c);
            self
        }
        /// Keras `global_clipnorm`: rescale all gradients together to norm at most `c`.
        pub fn global_clipnorm(mut self, c: f32) -> Self {
            self.base.clip = $crate::optimizers::Clip::GlobalNorm(c);
            self
        }
        /// Keras `clipvalue`: clip every gradient element to [−c, c].
        pub fn clipvalue(mut self, c: f32) -> Self {
            self.base.clip = $crate::optimizers::Clip::Value(c);
            self
        }
    };
}
pub(crate) use base_builders;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizers::{ExponentialDecay, Optimizer, SGD};
    use approx::assert_abs_diff_eq;

    fn clipped(clip: Clip, a: &mut [f32], b: &mut [f32]) {
        let base = Base {
            clip,
            ..Base::new(0.1)
        };
        let (mut wa, mut wb) = (vec![0.0; a.len()], vec![0.0; b.len()]);
        base.begin_step(&mut [
            Param {
                name: "a",
                path: "",
                value: &mut wa,
                grad: a,
            },
            Param {
                name: "b",
                path: "",
                value: &mut wb,
                grad: b,
            },
        ]);
    }

    #[test]
    fn clipnorm_rescales_each_tensor_on_its_own() {
        // a = (3, 4) has norm 5 > 1 → (0.6, 0.8); b = (0.3, 0.4) has norm 0.5 ≤ 1, unchanged.
        let (mut a, mut b) = ([3.0f32, 4.0], [0.3f32, 0.4]);
        clipped(Clip::Norm(1.0), &mut a, &mut b);
        assert_abs_diff_eq!(&a[..], &[0.6f32, 0.8][..], epsilon = 1e-6);
        assert_abs_diff_eq!(&b[..], &[0.3f32, 0.4][..], epsilon = 1e-7);
    }

    #[test]
    fn global_clipnorm_rescales_all_tensors_by_one_factor() {
        // global norm √(3² + 4²) = 5; clip 1 → every entry × 0.2.
        let (mut a, mut b) = ([3.0f32], [4.0f32]);
        clipped(Clip::GlobalNorm(1.0), &mut a, &mut b);
        assert_abs_diff_eq!(a[0], 0.6, epsilon = 1e-6);
        assert_abs_diff_eq!(b[0], 0.8, epsilon = 1e-6);
    }

    #[test]
    fn clipvalue_clips_element_wise() {
        let (mut a, mut b) = ([3.0f32, -0.2], [-4.0f32]);
        clipped(Clip::Value(0.5), &mut a, &mut b);
        assert_eq!((a, b), ([0.5, -0.2], [-0.5]));
    }

    #[test]
    fn clipping_changes_the_update_an_optimizer_makes() {
        // SGD lr 0.1, g = 10 clipped by value to 1: w = 1 − 0.1·1 = 0.9 (not 1 − 1 = 0).
        let mut opt = SGD::new().learning_rate(0.1).clipvalue(1.0);
        let (mut w, mut g) = ([1.0f32], [10.0f32]);
        opt.step(&mut [Param {
            name: "w",
            path: "",
            value: &mut w,
            grad: &mut g,
        }]);
        assert_abs_diff_eq!(w[0], 0.9, epsilon = 1e-7);
    }

    #[test]
    fn the_book_example_halves_the_learning_rate_every_epoch() {
        // ExponentialDecay(0.1, 1500, 0.5, staircase): 0.1 for steps 0–1499, then 0.05;
        // clipnorm 1 turns g = (3, 4) into (0.6, 0.8), so step 1501 moves w by
        // −0.05·(0.6, 0.8) = (−0.03, −0.04).
        let decay = ExponentialDecay::new(0.1, 1500, 0.5)
            .expect("valid")
            .staircase(true);
        let mut opt = SGD::new().learning_rate_schedule(decay).clipnorm(1.0);
        for _ in 0..1499 {
            opt.step(&mut []);
        }
        assert_eq!(Optimizer::learning_rate(&opt), 0.1);
        opt.step(&mut []);
        assert_eq!(Optimizer::learning_rate(&opt), 0.05);
        let (mut w, mut g) = ([0.0f32, 0.0], [3.0f32, 4.0]);
        opt.step(&mut [Param {
            name: "w",
            path: "",
            value: &mut w,
            grad: &mut g,
        }]);
        assert_abs_diff_eq!(&w[..], &[-0.03f32, -0.04][..], epsilon = 1e-7);
    }

    #[test]
    fn a_schedule_sets_the_learning_rate_of_each_step() {
        // ExponentialDecay(1.0, 1 step, 0.5): lr of step t is 0.5ᵗ. With g = 1 the
        // updates are 1, 0.5, 0.25: w = 10 − 1.75 = 8.25, and the next lr is 0.125.
        let decay = ExponentialDecay::new(1.0, 1, 0.5).expect("valid schedule");
        let mut opt = SGD::new().learning_rate_schedule(decay);
        let mut w = [10.0f32];
        for _ in 0..3 {
            let mut g = [1.0f32];
            opt.step(&mut [Param {
                name: "w",
                path: "",
                value: &mut w,
                grad: &mut g,
            }]);
        }
        assert_abs_diff_eq!(w[0], 8.25, epsilon = 1e-6);
        assert_abs_diff_eq!(Optimizer::learning_rate(&opt), 0.125, epsilon = 1e-7);
    }
}
