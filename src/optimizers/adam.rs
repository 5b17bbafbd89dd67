//! `Adam`: momentum on the gradient (m) scaled by a running RMS of it (v), both
//! bias-corrected; optionally AMSGrad, which divides by the largest v seen so far.

use super::{base_builders, below_one, positive, state_access, Base, Optimizer, Slots};
use crate::error::ModelError;
use crate::layers::Param;

/// `keras.optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
/// amsgrad=False)`.
#[derive(Debug, Clone)]
pub struct Adam {
    base: Base,
    beta_1: f32,
    beta_2: f32,
    epsilon: f32,
    amsgrad: bool,
    momentums: Slots,
    velocities: Slots,
    velocity_hats: Slots,
}

impl Default for Adam {
    fn default() -> Self {
        Self::new()
    }
}

impl Adam {
    /// Keras defaults: learning rate 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7, no AMSGrad.
    pub fn new() -> Self {
        Adam {
            base: Base::new(0.001),
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-7,
            amsgrad: false,
            momentums: Slots::default(),
            velocities: Slots::default(),
            velocity_hats: Slots::default(),
        }
    }
    /// Decay β₁ of the first moment m.
    pub fn beta_1(mut self, beta_1: f32) -> Self {
        self.beta_1 = beta_1;
        self
    }
    /// Decay β₂ of the second moment v.
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
    /// AMSGrad (Reddi et al., "On the Convergence of Adam and Beyond").
    pub fn amsgrad(mut self, amsgrad: bool) -> Self {
        self.amsgrad = amsgrad;
        self
    }
    base_builders!();
}

impl Optimizer for Adam {
    fn name(&self) -> &'static str {
        "Adam"
    }
    fn settings(&self) -> Option<super::OptimizerSettings> {
        use super::OptimizerSettings;
        Some(OptimizerSettings::Adam {
            beta_1: self.beta_1,
            beta_2: self.beta_2,
            epsilon: self.epsilon,
            amsgrad: self.amsgrad,
        })
    }
    state_access!("momentum" => momentums, "velocity" => velocities, "velocity_hat" => velocity_hats);
    fn validate(&self) -> Result<(), ModelError> {
        self.base.validate()?;
        below_one("Adam beta_1", self.beta_1)?;
        below_one("Adam beta_2", self.beta_2)?;
        positive("Adam epsilon", self.epsilon)
    }

    // ANCHOR: step
    /// t = step + 1;  m += (g − m)(1 − β₁);  v += (g² − v)(1 − β₂);
    /// α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ);  w −= α·m / (√v + ε).
    /// AMSGrad: v̂ = max(v̂, v) replaces v in the last line.
    fn step(&mut self, params: &mut [Param<'_>]) {
        let lr = self.base.begin_step(params);
        let (b1, b2, eps) = (self.beta_1, self.beta_2, self.epsilon);
        let t = self.base.iterations as f64 + 1.0;
        let alpha = (f64::from(lr) * (1.0 - f64::from(b2).powf(t)).sqrt()
            / (1.0 - f64::from(b1).powf(t))) as f32;
        for (i, p) in params.iter_mut().enumerate() {
            let n = p.value.len();
            let m = self.momentums.get(i, p.path, n, 0.0);
            let v = self.velocities.get(i, p.path, n, 0.0);
            if self.amsgrad {
                let wg = p.value.iter_mut().zip(p.grad.iter());
                let v_hat = self.velocity_hats.get(i, p.path, n, 0.0);
                for ((((w, &g), m), v), vh) in wg.zip(m).zip(v).zip(v_hat) {
                    *m += (g - *m) * (1.0 - b1);
                    *v += (g * g - *v) * (1.0 - b2);
                    *vh = vh.max(*v);
                    *w -= alpha * *m / (vh.sqrt() + eps);
                }
            } else {
                let parts = (&mut *p.value, &*p.grad, m, v); // both cores on long tensors
                crate::simd::run_split(parts, |(w, g, m, v)| {
                    adam_update(w, g, m, v, alpha, b1, b2, eps)
                });
            }
        }
        self.base.end_step();
    }
    // ANCHOR_END: step
}

/// m += (g − m)(1−β₁);  v += (g² − v)(1−β₂);  w −= α·m / (√v + ε), element by element
/// (see `crate::simd`).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn adam_update(
    w: &mut [f32],
    g: &[f32],
    m: &mut [f32],
    v: &mut [f32],
    alpha: f32,
    b1: f32,
    b2: f32,
    eps: f32,
) {
    for (((w, &g), m), v) in w.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
        *m += (g - *m) * (1.0 - b1);
        *v += (g * g - *v) * (1.0 - b2);
        *w -= alpha * *m / (v.sqrt() + eps);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn run(opt: &mut Adam, grads: &[f32]) -> f32 {
        let mut w = [1.0f32];
        for &g in grads {
            opt.step(&mut [Param {
                name: "w",
                path: "",
                value: &mut w,
                grad: &mut [g],
            }]);
        }
        w[0]
    }

    #[test]
    fn adam_first_steps_match_the_keras_rule() {
        // lr 0.1, g = 1, 2, −1 from w = 1:
        // t1: m = 0.1, v = 0.001, α = 0.1·√0.001/0.1 = 0.0316228, w = 1 − α·0.1/0.0316228 = 0.9
        // t2: m = 0.29, v = 0.004999, α = 0.1·√0.001999/0.19 = 0.0235317,
        //     w = 0.9 − 0.0235317·0.29/0.0707036 = 0.8034823
        // t3: m = 0.161, v = 0.005994, α = 0.1·√0.002997/0.271 = 0.0202011,
        //     w = 0.8034823 − 0.0202011·0.161/0.0774210 = 0.7614734
        let mut opt = Adam::new().learning_rate(0.1);
        assert_abs_diff_eq!(
            run(&mut opt, &[1.0, 2.0, -1.0]),
            0.761_473_4,
            epsilon = 2e-6
        );
        assert_abs_diff_eq!(opt.momentums.buffers()[0][0], 0.161, epsilon = 1e-6);
        assert_abs_diff_eq!(opt.velocities.buffers()[0][0], 0.005_994, epsilon = 1e-7);
    }

    #[test]
    fn amsgrad_divides_by_the_largest_second_moment_seen() {
        // g = 3, 0, 0: v = 0.009, 0.008991, 0.008982 falls; AMSGrad keeps v̂ = 0.009, so
        // its steps are smaller: w3 = 0.7812840 against Adam's 0.7811987.
        let adam = run(&mut Adam::new().learning_rate(0.1), &[3.0, 0.0, 0.0]);
        let mut ams = Adam::new().learning_rate(0.1).amsgrad(true);
        assert_abs_diff_eq!(adam, 0.781_198_7, epsilon = 2e-6);
        assert_abs_diff_eq!(run(&mut ams, &[3.0, 0.0, 0.0]), 0.781_284, epsilon = 2e-6);
        assert_abs_diff_eq!(ams.velocity_hats.buffers()[0][0], 0.009, epsilon = 1e-6);
    }

    #[test]
    fn adam_moments_are_per_parameter() {
        // a sees g = 1, b sees g = −1: m_a = 0.1, m_b = −0.1 after one step; both move by
        // lr (the first Adam step is ±lr whatever |g| is): a = −0.001, b = +0.001.
        let mut opt = Adam::new();
        let (mut a, mut b) = ([0.0f32], [0.0f32]);
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
                grad: &mut [-1.0],
            },
        ]);
        assert_abs_diff_eq!(opt.momentums.buffers()[0][0], 0.1, epsilon = 1e-7);
        assert_abs_diff_eq!(opt.momentums.buffers()[1][0], -0.1, epsilon = 1e-7);
        assert_abs_diff_eq!(a[0], -0.001, epsilon = 1e-7);
        assert_abs_diff_eq!(b[0], 0.001, epsilon = 1e-7);
    }
}
