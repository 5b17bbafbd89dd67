//! `Adadelta`: scales each step by the ratio of two running RMS values — of past
//! updates and of past gradients — so the step has the units of the weight.

use super::{base_builders, in_range, positive, state_access, Base, Optimizer, Slots};
use crate::error::ModelError;
use crate::layers::Param;

/// `keras.optimizers.Adadelta(learning_rate=0.001, rho=0.95, epsilon=1e-7)`.
/// Keras keeps a learning rate (the paper has none: use 1.0 for the paper's form).
#[derive(Debug, Clone)]
pub struct Adadelta {
    base: Base,
    rho: f32,
    epsilon: f32,
    accumulated_grad: Slots,
    accumulated_delta: Slots,
}

impl Default for Adadelta {
    fn default() -> Self {
        Self::new()
    }
}

impl Adadelta {
    /// Keras defaults: learning rate 0.001, ρ 0.95, ε 1e-7.
    pub fn new() -> Self {
        Adadelta {
            base: Base::new(0.001),
            rho: 0.95,
            epsilon: 1e-7,
            accumulated_grad: Slots::default(),
            accumulated_delta: Slots::default(),
        }
    }
    /// Decay ρ of both running means.
    pub fn rho(mut self, rho: f32) -> Self {
        self.rho = rho;
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

impl Optimizer for Adadelta {
    fn name(&self) -> &'static str {
        "Adadelta"
    }
    fn settings(&self) -> Option<super::OptimizerSettings> {
        use super::OptimizerSettings;
        Some(OptimizerSettings::Adadelta {
            rho: self.rho,
            epsilon: self.epsilon,
        })
    }
    state_access!("accumulated_grad" => accumulated_grad, "accumulated_delta" => accumulated_delta);
    fn validate(&self) -> Result<(), ModelError> {
        self.base.validate()?;
        in_range("Adadelta rho", self.rho, 0.0, 1.0)?;
        positive("Adadelta epsilon", self.epsilon)
    }

    // ANCHOR: step
    /// `E[g²] = ρE[g²] + (1−ρ)g²`;  `Δ = −√(E[Δ²] + ε)·g / √(E[g²] + ε)`;
    /// `E[Δ²] = ρE[Δ²] + (1−ρ)Δ²`;  `w += lr·Δ`.
    fn step(&mut self, params: &mut [Param<'_>]) {
        let lr = self.base.begin_step(params);
        let (rho, eps) = (self.rho, self.epsilon);
        for (i, p) in params.iter_mut().enumerate() {
            let n = p.value.len();
            let eg = self.accumulated_grad.get(i, p.path, n, 0.0);
            let ed = self.accumulated_delta.get(i, p.path, n, 0.0);
            let wg = p.value.iter_mut().zip(p.grad.iter());
            for (((w, &g), eg), ed) in wg.zip(eg).zip(ed) {
                *eg = rho * *eg + (1.0 - rho) * g * g;
                let delta = -(*ed + eps).sqrt() * g / (*eg + eps).sqrt();
                *ed = rho * *ed + (1.0 - rho) * delta * delta;
                *w += lr * delta;
            }
        }
        self.base.end_step();
    }
    // ANCHOR_END: step
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn adadelta_first_steps_match_the_keras_rule() {
        // lr 1 (the paper's form), ρ 0.95, g = 1 then 2, from w = 1:
        // t1: E[g²] = 0.05, Δ = −√1e-7·1/√(0.05+1e-7) = −0.0014142, E[Δ²] = 0.05·Δ² = 1.0e-7,
        //     w = 0.9985858
        // t2: E[g²] = 0.0475 + 0.2 = 0.2475, Δ = −√(2e-7)·2/√0.2475 = −0.0017979,
        //     E[Δ²] = 0.95e-7 + 0.05·Δ² = 2.566e-7, w = 0.9967879
        let mut opt = Adadelta::new().learning_rate(1.0);
        let mut w = [1.0f32];
        for g in [1.0f32, 2.0] {
            opt.step(&mut [Param {
                name: "w",
                path: "",
                value: &mut w,
                grad: &mut [g],
            }]);
        }
        assert_abs_diff_eq!(w[0], 0.996_787_9, epsilon = 1e-6);
        assert_abs_diff_eq!(opt.accumulated_grad.buffers()[0][0], 0.2475, epsilon = 1e-6);
        assert_abs_diff_eq!(
            opt.accumulated_delta.buffers()[0][0],
            2.566e-7,
            epsilon = 1e-10
        );
    }

    #[test]
    fn adadelta_state_is_per_parameter() {
        // b sees g = 0: both its running means stay 0 and it never moves.
        let mut opt = Adadelta::new();
        let (mut a, mut b) = ([1.0f32], [1.0f32]);
        for _ in 0..3 {
            opt.step(&mut [
                Param {
                    name: "a",
                    path: "",
                    value: &mut a,
                    grad: &mut [1.0],
                },
                Param {
                    name: "b",
                    path: "",
                    value: &mut b,
                    grad: &mut [0.0],
                },
            ]);
        }
        assert_eq!((b[0], opt.accumulated_grad.buffers()[1][0]), (1.0, 0.0));
        // E[g²] of a after three g = 1 steps: 1 − 0.95³ = 0.142625
        assert_abs_diff_eq!(
            opt.accumulated_grad.buffers()[0][0],
            0.142_625,
            epsilon = 1e-6
        );
    }
}
