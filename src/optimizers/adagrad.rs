//! `Adagrad`: each weight's step shrinks with the sum of all its past squared gradients.

use super::{
    base_builders, non_negative, positive, state_access, Base, Optimizer, Slots,
};
use crate::error::ModelError;
use crate::layers::Param;

/// `keras.optimizers.Adagrad(learning_rate=0.001, initial_accumulator_value=0.1,
/// epsilon=1e-7)`.
#[derive(Debug, Clone)]
pub struct Adagrad {
    base: Base,
    initial_accumulator_value: f32,
    epsilon: f32,
    accumulators: Slots,
}

impl Default for Adagrad {
    fn default() -> Self {
        Self::new()
    }
}

impl Adagrad {
    /// Keras defaults: learning rate 0.001, accumulators start at 0.1, ε 1e-7.
    pub fn new() -> Self {
        Adagrad {
            base: Base::new(0.001),
            initial_accumulator_value: 0.1,
            epsilon: 1e-7,
            accumulators: Slots::default(),
        }
    }
    /// Starting value of every accumulator (≥ 0).
    pub fn initial_accumulator_value(mut self, value: f32) -> Self {
        self.initial_accumulator_value = value;
        self
    }
    /// ε in the denominator, so that a step never divides by 0: positive and finite
    /// (`compile` refuses another value).
    pub fn epsilon(mut self, epsilon: f32) -> Self {
        self.epsilon = epsilon;
        self
    }
    base_builders!();
}

impl Optimizer for Adagrad {
    fn name(&self) -> &'static str {
        "Adagrad"
    }
    fn settings(&self) -> Option<super::OptimizerSettings> {
        use super::OptimizerSettings;
        Some(OptimizerSettings::Adagrad {
            initial_accumulator_value: self.initial_accumulator_value,
            epsilon: self.epsilon,
        })
    }
    state_access!("accumulator" => accumulators);
    fn validate(&self) -> Result<(), ModelError> {
        self.base.validate()?;
        non_negative(
            "Adagrad initial_accumulator_value",
            self.initial_accumulator_value,
        )?;
        positive("Adagrad epsilon", self.epsilon)
    }

    // ANCHOR: step
    /// a += g²;  w −= lr·g / √(a + ε)   (a starts at 0.1)
    fn step(&mut self, params: &mut [Param<'_>]) {
        let lr = self.base.begin_step(params);
        let (a0, eps) = (self.initial_accumulator_value, self.epsilon);
        for (i, p) in params.iter_mut().enumerate() {
            let acc = self.accumulators.get(i, p.path, p.value.len(), a0);
            let parts = (&mut *p.value, &*p.grad, acc); // both cores on long tensors
            crate::simd::run_split(parts, |(w, g, a)| adagrad_update(w, g, a, lr, eps));
        }
        self.base.end_step();
    }
    // ANCHOR_END: step
}

/// a += g²;  w −= lr·g / √(a + ε), element by element (see `crate::simd`).
#[inline(always)]
fn adagrad_update(w: &mut [f32], g: &[f32], acc: &mut [f32], lr: f32, eps: f32) {
    for ((w, &g), a) in w.iter_mut().zip(g).zip(acc.iter_mut()) {
        *a += g * g;
        *w -= lr * g / (*a + eps).sqrt();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn adagrad_first_steps_match_the_keras_rule() {
        // lr 0.1, g = 1 then 2: a1 = 0.1 + 1 = 1.1, w1 = 1 − 0.1/√1.1 = 0.9046537;
        // a2 = 1.1 + 4 = 5.1, w2 = w1 − 0.2/√5.1 = w1 − 0.0885615 = 0.8160923
        let mut opt = Adagrad::new().learning_rate(0.1);
        let mut w = [1.0f32];
        for g in [1.0f32, 2.0] {
            opt.step(&mut [Param {
                name: "w",
                path: "",
                value: &mut w,
                grad: &mut [g],
            }]);
        }
        assert_abs_diff_eq!(w[0], 0.816_092_3, epsilon = 1e-6);
        assert_abs_diff_eq!(opt.accumulators.buffers()[0][0], 5.1, epsilon = 1e-6);
    }

    #[test]
    fn adagrad_accumulators_are_per_parameter_and_start_at_the_initial_value() {
        // a sees g = 1 twice (a = 0.1 + 2 = 2.1), b sees g = 0 (its accumulator stays 0.1)
        let mut opt = Adagrad::new();
        let (mut a, mut b) = ([0.0f32; 2], [0.0f32]);
        for _ in 0..2 {
            opt.step(&mut [
                Param {
                    name: "a",
                    path: "",
                    value: &mut a,
                    grad: &mut [1.0, 1.0],
                },
                Param {
                    name: "b",
                    path: "",
                    value: &mut b,
                    grad: &mut [0.0],
                },
            ]);
        }
        let bufs = opt.accumulators.buffers();
        assert_abs_diff_eq!(bufs[0], &[2.1f32, 2.1][..], epsilon = 1e-6);
        assert_eq!(bufs[1], [0.1]);
        assert_eq!(b[0], 0.0);
    }
}
