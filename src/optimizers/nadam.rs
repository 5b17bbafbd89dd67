//! `Nadam`: Adam with Nesterov momentum — the step uses the momentum one step ahead,
//! with Dozat's warming momentum schedule μₜ = β₁(1 − ½·0.96ᵗ).

use super::{base_builders, below_one, positive, state_access, Base, Optimizer, Slots};
use crate::error::ModelError;
use crate::layers::Param;

/// `keras.optimizers.Nadam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)`.
#[derive(Debug, Clone)]
pub struct Nadam {
    base: Base,
    beta_1: f32,
    beta_2: f32,
    epsilon: f32,
    /// Π_{i ≤ t} μᵢ, the momentum-cache product (Keras's `_u_product`), starts at 1.
    u_product: f64,
    momentums: Slots,
    velocities: Slots,
}

impl Default for Nadam {
    fn default() -> Self {
        Self::new()
    }
}

impl Nadam {
    /// Keras defaults: learning rate 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7.
    pub fn new() -> Self {
        Nadam {
            base: Base::new(0.001),
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-7,
            u_product: 1.0,
            momentums: Slots::default(),
            velocities: Slots::default(),
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

impl Optimizer for Nadam {
    fn name(&self) -> &'static str {
        "Nadam"
    }
    fn settings(&self) -> Option<super::OptimizerSettings> {
        use super::OptimizerSettings;
        Some(OptimizerSettings::Nadam {
            beta_1: self.beta_1,
            beta_2: self.beta_2,
            epsilon: self.epsilon,
        })
    }
    state_access!("momentum" => momentums, "velocity" => velocities);
    fn scalars(&self) -> Vec<(&'static str, f64)> {
        vec![("u_product", self.u_product)]
    }
    fn set_scalar(&mut self, name: &str, value: f64) -> bool {
        if name == "u_product" {
            self.u_product = value;
        }
        name == "u_product"
    }
    fn validate(&self) -> Result<(), ModelError> {
        self.base.validate()?;
        below_one("Nadam beta_1", self.beta_1)?;
        below_one("Nadam beta_2", self.beta_2)?;
        positive("Nadam epsilon", self.epsilon)
    }

    // ANCHOR: step
    /// t = step + 1;  μₜ = β₁(1 − ½·0.96ᵗ);  Πₜ = Πₜ₋₁·μₜ;
    /// m += (g − m)(1 − β₁);  v += (g² − v)(1 − β₂);
    /// m̂ = μₜ₊₁·m / (1 − Πₜ·μₜ₊₁) + (1 − μₜ)·g / (1 − Πₜ);  v̂ = v / (1 − β₂ᵗ);
    /// w −= lr·m̂ / (√v̂ + ε).
    fn step(&mut self, params: &mut [Param<'_>]) {
        let lr = self.base.begin_step(params);
        let (b1, b2, eps) =
            (f64::from(self.beta_1), f64::from(self.beta_2), self.epsilon);
        let t = self.base.iterations as f64 + 1.0;
        let u_t = b1 * (1.0 - 0.5 * 0.96f64.powf(t));
        let u_t1 = b1 * (1.0 - 0.5 * 0.96f64.powf(t + 1.0));
        self.u_product *= u_t;
        // the per-step constants of m̂ and v̂, once per step instead of per weight
        let c_m = (u_t1 / (1.0 - self.u_product * u_t1)) as f32;
        let c_g = ((1.0 - u_t) / (1.0 - self.u_product)) as f32;
        let c_v = (1.0 / (1.0 - b2.powf(t))) as f32;
        let (one_b1, one_b2) = ((1.0 - b1) as f32, (1.0 - b2) as f32);
        for (i, p) in params.iter_mut().enumerate() {
            let n = p.value.len();
            let m = self.momentums.get(i, p.path, n, 0.0);
            let v = self.velocities.get(i, p.path, n, 0.0);
            for (((w, &g), m), v) in p.value.iter_mut().zip(p.grad.iter()).zip(m).zip(v) {
                *m += (g - *m) * one_b1;
                *v += (g * g - *v) * one_b2;
                let m_hat = c_m * *m + c_g * g;
                *w -= lr * m_hat / ((c_v * *v).sqrt() + eps);
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
    fn nadam_first_steps_match_the_keras_rule() {
        // lr 0.1, g = 1 then 2, from w = 1:
        // t1: μ₁ = 0.9(1 − 0.48) = 0.468, μ₂ = 0.9(1 − 0.5·0.9216) = 0.48528, Π₁ = 0.468;
        //     m = 0.1, v = 0.001; m̂ = 0.48528·0.1/(1 − 0.227111) + 0.532·1/0.532 = 1.0627878,
        //     v̂ = 1, w = 1 − 0.1·1.0627878/1 = 0.8937212
        // t2: μ₃ = 0.9(1 − 0.5·0.884736) = 0.5018688, Π₂ = 0.2271110;
        //     m = 0.29, v = 0.004999; m̂ = 0.5018688·0.29/(1 − 0.1139799)
        //     + 0.51472·2/0.7728890 = 1.4962026, v̂ = 0.004999/0.001999 = 2.5007504,
        //     w = 0.8937212 − 0.1·1.4962026/1.5813761 = 0.7991073
        let mut opt = Nadam::new().learning_rate(0.1);
        let mut w = [1.0f32];
        for g in [1.0f32, 2.0] {
            opt.step(&mut [Param {
                name: "w",
                path: "",
                value: &mut w,
                grad: &mut [g],
            }]);
        }
        assert_abs_diff_eq!(w[0], 0.799_107_3, epsilon = 2e-6);
        assert_abs_diff_eq!(opt.u_product, 0.227_111_04, epsilon = 1e-7);
    }

    #[test]
    fn nadam_moments_are_per_parameter() {
        // a sees g = 1, b sees g = 0: b's moments stay 0 and b never moves.
        let mut opt = Nadam::new();
        let (mut a, mut b) = ([1.0f32], [1.0f32]);
        for _ in 0..2 {
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
        assert_eq!((b[0], opt.momentums.buffers()[1][0]), (1.0, 0.0));
        // m of a after two g = 1 steps: 1 − 0.9² = 0.19
        assert_abs_diff_eq!(opt.momentums.buffers()[0][0], 0.19, epsilon = 1e-6);
    }
}
