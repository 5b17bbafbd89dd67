//! `Adamax`: Adam with the infinity norm — the second moment becomes a decaying
//! maximum of |g|.

use super::{base_builders, below_one, positive, state_access, Base, Optimizer, Slots};
use crate::error::ModelError;
use crate::layers::Param;

/// `keras.optimizers.Adamax(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)`.
#[derive(Debug, Clone)]
pub struct Adamax {
    base: Base,
    beta_1: f32,
    beta_2: f32,
    epsilon: f32,
    momentums: Slots,
    norms: Slots,
}

impl Default for Adamax {
    fn default() -> Self {
        Self::new()
    }
}

impl Adamax {
    /// Keras defaults: learning rate 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7.
    pub fn new() -> Self {
        Adamax {
            base: Base::new(0.001),
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-7,
            momentums: Slots::default(),
            norms: Slots::default(),
        }
    }
    pub fn beta_1(mut self, beta_1: f32) -> Self {
        self.beta_1 = beta_1;
        self
    }
    pub fn beta_2(mut self, beta_2: f32) -> Self {
        self.beta_2 = beta_2;
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

impl Optimizer for Adamax {
    fn name(&self) -> &'static str {
        "Adamax"
    }
    fn settings(&self) -> Option<super::OptimizerSettings> {
        use super::OptimizerSettings;
        Some(OptimizerSettings::Adamax {
            beta_1: self.beta_1,
            beta_2: self.beta_2,
            epsilon: self.epsilon,
        })
    }
    state_access!("m" => momentums, "norm" => norms);
    fn validate(&self) -> Result<(), ModelError> {
        self.base.validate()?;
        below_one("Adamax beta_1", self.beta_1)?;
        below_one("Adamax beta_2", self.beta_2)?;
        positive("Adamax epsilon", self.epsilon)
    }

    // ANCHOR: step
    /// t = step + 1;  m += (g − m)(1 − β₁);  u = max(β₂u, |g|);
    /// w −= lr·m / ((1 − β₁ᵗ)(u + ε)).
    fn step(&mut self, params: &mut [Param<'_>]) {
        let lr = self.base.begin_step(params);
        let (b1, b2, eps) = (self.beta_1, self.beta_2, self.epsilon);
        let t = self.base.iterations as f64 + 1.0;
        // lr / (1 − β₁ᵗ)
        let lr_t = (f64::from(lr) / (1.0 - f64::from(b1).powf(t))) as f32;
        for (i, p) in params.iter_mut().enumerate() {
            let n = p.value.len();
            let m = self.momentums.get(i, p.path, n, 0.0);
            let u = self.norms.get(i, p.path, n, 0.0);
            for (((w, &g), m), u) in p.value.iter_mut().zip(p.grad.iter()).zip(m).zip(u) {
                *m += (g - *m) * (1.0 - b1);
                *u = (b2 * *u).max(g.abs());
                *w -= lr_t * *m / (*u + eps);
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
    fn adamax_first_steps_match_the_keras_rule() {
        // lr 0.1, g = 2, 1, −1 from w = 1:
        // t1: m = 0.2, u = 2, w = 1 − 0.1·0.2/(0.1·2) = 0.9
        // t2: m = 0.28, u = max(1.998, 1) = 1.998, w = 0.9 − 0.1·0.28/(0.19·1.998) = 0.8262420
        // t3: m = 0.152, u = 1.996002, w = 0.8262420 − 0.1·0.152/(0.271·1.996002) = 0.7981416
        let mut opt = Adamax::new().learning_rate(0.1);
        let mut w = [1.0f32];
        for g in [2.0f32, 1.0, -1.0] {
            opt.step(&mut [Param {
                name: "w",
                path: "",
                value: &mut w,
                grad: &mut [g],
            }]);
        }
        assert_abs_diff_eq!(w[0], 0.798_141_6, epsilon = 2e-6);
        assert_abs_diff_eq!(opt.norms.buffers()[0][0], 1.996_002, epsilon = 1e-6);
    }

    #[test]
    fn adamax_norms_are_per_parameter() {
        // u is a decaying max of |g| per tensor: a sees |g| = 3 then 1 → 2.997, b sees 0.5 → 0.5
        let mut opt = Adamax::new();
        let (mut a, mut b) = ([0.0f32], [0.0f32]);
        for (ga, gb) in [(3.0f32, 0.5f32), (1.0, -0.5)] {
            opt.step(&mut [
                Param {
                    name: "a",
                    path: "",
                    value: &mut a,
                    grad: &mut [ga],
                },
                Param {
                    name: "b",
                    path: "",
                    value: &mut b,
                    grad: &mut [gb],
                },
            ]);
        }
        assert_abs_diff_eq!(opt.norms.buffers()[0][0], 2.997, epsilon = 1e-6);
        assert_abs_diff_eq!(opt.norms.buffers()[1][0], 0.5, epsilon = 1e-7);
    }
}
