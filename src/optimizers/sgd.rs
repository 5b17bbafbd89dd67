//! `SGD`: gradient descent with optional momentum and Nesterov momentum (Keras 3 rules).

use super::{base_builders, in_range, state_access, Base, Optimizer, Slots};
use crate::error::ModelError;
use crate::layers::Param;

/// `keras.optimizers.SGD(learning_rate=0.01, momentum=0.0, nesterov=False)`.
#[derive(Debug, Clone)]
pub struct SGD {
    base: Base,
    momentum: f32,
    nesterov: bool,
    velocity: Slots,
}

impl Default for SGD {
    fn default() -> Self {
        Self::new()
    }
}

impl SGD {
    /// Keras defaults: learning rate 0.01, no momentum.
    pub fn new() -> Self {
        SGD {
            base: Base::new(0.01),
            momentum: 0.0,
            nesterov: false,
            velocity: Slots::default(),
        }
    }
    /// Momentum μ, in [0, 1] (`validate` reports a value outside).
    pub fn momentum(mut self, momentum: f32) -> Self {
        self.momentum = momentum;
        self
    }
    /// Nesterov momentum: step with the look-ahead μv − lr·g instead of v.
    pub fn nesterov(mut self, nesterov: bool) -> Self {
        self.nesterov = nesterov;
        self
    }
    base_builders!();
}

impl Optimizer for SGD {
    fn name(&self) -> &'static str {
        "SGD"
    }
    fn settings(&self) -> Option<super::OptimizerSettings> {
        use super::OptimizerSettings;
        Some(OptimizerSettings::SGD {
            momentum: self.momentum,
            nesterov: self.nesterov,
        })
    }
    state_access!("momentum" => velocity);
    fn validate(&self) -> Result<(), ModelError> {
        self.base.validate()?;
        in_range("SGD momentum", self.momentum, 0.0, 1.0)
    }

    // ANCHOR: step
    /// Plain: w −= lr·g. Momentum μ: v = μv − lr·g; w += v.
    /// Nesterov: v = μv − lr·g; w += μv − lr·g.
    fn step(&mut self, params: &mut [Param<'_>]) {
        let lr = self.base.begin_step(params);
        let mu = self.momentum;
        for (i, p) in params.iter_mut().enumerate() {
            let n = p.value.len();
            let w_g = (&mut *p.value, &*p.grad); // long tensors: half on each core
            if mu == 0.0 {
                crate::simd::run_split(w_g, |(w, g)| {
                    w.iter_mut().zip(g).for_each(|(w, &g)| *w -= lr * g)
                });
                continue;
            }
            let v = self.velocity.get(i, p.path, n, 0.0);
            let nesterov = self.nesterov;
            crate::simd::run_split((w_g.0, w_g.1, v), |(w, g, v)| {
                for ((w, &g), v) in w.iter_mut().zip(g).zip(v) {
                    *v = mu * *v - lr * g;
                    if nesterov {
                        *w += mu * *v - lr * g;
                    } else {
                        *w += *v;
                    }
                }
            });
        }
        self.base.end_step();
    }
    // ANCHOR_END: step
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn run(opt: &mut SGD, w: &mut [f32], grads: &[f32]) {
        for &g in grads {
            let mut grad = [g];
            opt.step(&mut [Param {
                name: "w",
                path: "",
                value: w,
                grad: &mut grad,
            }]);
        }
    }

    #[test]
    fn plain_sgd_steps_against_the_gradient() {
        // lr 0.01, g = 2 then 4: w = 1 − 0.02 = 0.98, then 0.98 − 0.04 = 0.94
        let mut w = [1.0f32];
        run(&mut SGD::new(), &mut w, &[2.0, 4.0]);
        assert_abs_diff_eq!(w[0], 0.94, epsilon = 1e-7);
    }

    #[test]
    fn momentum_accumulates_velocity() {
        // lr 0.1, μ 0.9, g = 1 thrice: v1 = −0.1, w1 = 0.9; v2 = −0.09 − 0.1 = −0.19,
        // w2 = 0.71; v3 = −0.171 − 0.1 = −0.271, w3 = 0.439
        let mut opt = SGD::new().learning_rate(0.1).momentum(0.9);
        let mut w = [1.0f32];
        run(&mut opt, &mut w, &[1.0, 1.0, 1.0]);
        assert_abs_diff_eq!(w[0], 0.439, epsilon = 1e-6);
        assert_abs_diff_eq!(opt.velocity.buffers()[0][0], -0.271, epsilon = 1e-6);
        assert_eq!(opt.iterations(), 3);
    }

    #[test]
    fn nesterov_looks_ahead() {
        // lr 0.1, μ 0.9, g = 1: v1 = −0.1, w1 = 1 + 0.9·(−0.1) − 0.1 = 0.81;
        // v2 = −0.19, w2 = 0.81 + 0.9·(−0.19) − 0.1 = 0.539
        let mut opt = SGD::new().learning_rate(0.1).momentum(0.9).nesterov(true);
        let mut w = [1.0f32];
        run(&mut opt, &mut w, &[1.0, 1.0]);
        assert_abs_diff_eq!(w[0], 0.539, epsilon = 1e-6);
    }

    #[test]
    fn momentum_keeps_one_velocity_per_parameter() {
        // a sees g = 1, b sees g = −2 (lr 0.1, μ 0.9): after two steps
        // v_a = −0.19, v_b = +0.38 — neither leaks into the other.
        let mut opt = SGD::new().learning_rate(0.1).momentum(0.9);
        let (mut a, mut b) = ([0.0f32], [0.0f32]);
        for _ in 0..2 {
            let (mut ga, mut gb) = ([1.0f32], [-2.0f32]);
            opt.step(&mut [
                Param {
                    name: "a",
                    path: "",
                    value: &mut a,
                    grad: &mut ga,
                },
                Param {
                    name: "b",
                    path: "",
                    value: &mut b,
                    grad: &mut gb,
                },
            ]);
        }
        assert_abs_diff_eq!(opt.velocity.buffers()[0][0], -0.19, epsilon = 1e-6);
        assert_abs_diff_eq!(opt.velocity.buffers()[1][0], 0.38, epsilon = 1e-6);
        // w = v1 + v2: a = −0.1 − 0.19 = −0.29, b = 0.2 + 0.38 = 0.58
        assert_abs_diff_eq!(a[0], -0.29, epsilon = 1e-6);
        assert_abs_diff_eq!(b[0], 0.58, epsilon = 1e-6);
    }
}
