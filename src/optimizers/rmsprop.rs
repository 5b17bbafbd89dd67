//! `RMSprop`: divides the step by a running root-mean-square of recent gradients.

use super::{base_builders, in_range, positive, state_access, Base, Optimizer, Slots};
use crate::error::ModelError;
use crate::layers::Param;

/// `keras.optimizers.RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
/// centered=False)`.
#[derive(Debug, Clone)]
pub struct RMSprop {
    base: Base,
    rho: f32,
    momentum: f32,
    epsilon: f32,
    centered: bool,
    velocity: Slots,
    momentums: Slots,
    average_grad: Slots,
}

impl Default for RMSprop {
    fn default() -> Self {
        Self::new()
    }
}

impl RMSprop {
    /// Keras defaults: learning rate 0.001, ρ 0.9, no momentum, ε 1e-7, not centered.
    pub fn new() -> Self {
        RMSprop {
            base: Base::new(0.001),
            rho: 0.9,
            momentum: 0.0,
            epsilon: 1e-7,
            centered: false,
            velocity: Slots::default(),
            momentums: Slots::default(),
            average_grad: Slots::default(),
        }
    }
    /// Decay ρ of the running mean of g².
    pub fn rho(mut self, rho: f32) -> Self {
        self.rho = rho;
        self
    }
    /// Momentum μ on the scaled steps (plain, not Nesterov).
    pub fn momentum(mut self, momentum: f32) -> Self {
        self.momentum = momentum;
        self
    }
    /// ε in the denominator, so that a step never divides by 0: positive and finite
    /// (`compile` refuses another value).
    pub fn epsilon(mut self, epsilon: f32) -> Self {
        self.epsilon = epsilon;
        self
    }
    /// Divide by the running variance s − ḡ² instead of the raw second moment s.
    pub fn centered(mut self, centered: bool) -> Self {
        self.centered = centered;
        self
    }
    base_builders!();
}

impl Optimizer for RMSprop {
    fn name(&self) -> &'static str {
        "RMSprop"
    }
    fn settings(&self) -> Option<super::OptimizerSettings> {
        use super::OptimizerSettings;
        Some(OptimizerSettings::RMSprop {
            rho: self.rho,
            momentum: self.momentum,
            epsilon: self.epsilon,
            centered: self.centered,
        })
    }
    state_access!("velocity" => velocity, "momentum" => momentums, "average_gradient" => average_grad);
    fn validate(&self) -> Result<(), ModelError> {
        self.base.validate()?;
        in_range("RMSprop rho", self.rho, 0.0, 1.0)?;
        in_range("RMSprop momentum", self.momentum, 0.0, 1.0)?;
        positive("RMSprop epsilon", self.epsilon)
    }

    // ANCHOR: step
    /// s = ρs + (1−ρ)g²;  Δ = lr·g / √(s + ε);  w −= Δ.
    /// centered: ḡ = ρḡ + (1−ρ)g and Δ = lr·g / √(s − ḡ² + ε).
    /// momentum μ: m = μm + Δ;  w −= m.
    fn step(&mut self, params: &mut [Param<'_>]) {
        let lr = self.base.begin_step(params);
        let (rho, mu, eps) = (self.rho, self.momentum, self.epsilon);
        for (i, p) in params.iter_mut().enumerate() {
            let n = p.value.len();
            let s = self.velocity.get(i, p.path, n, 0.0);
            if !self.centered && mu == 0.0 {
                // the default: the one loop Keras's default RMSprop runs
                let parts = (&mut *p.value, &*p.grad, s); // both cores on long tensors
                crate::simd::run_split(parts, |(w, g, s)| {
                    rmsprop_update(w, g, s, lr, rho, eps)
                });
                continue;
            }
            // centered and/or momentum: both buffers exist (one may go unused) so the
            // loop below stays a branch-free zip, specialised by the two const flags
            let avg = self.average_grad.get(i, p.path, n, 0.0);
            let m = self.momentums.get(i, p.path, n, 0.0);
            let step = (lr, rho, mu, eps);
            let (w, g) = (&mut *p.value, &*p.grad);
            match (self.centered, mu > 0.0) {
                (true, true) => update::<true, true>(w, g, s, avg, m, step),
                (true, false) => update::<true, false>(w, g, s, avg, m, step),
                _ => update::<false, true>(w, g, s, avg, m, step),
            }
        }
        self.base.end_step();
    }
    // ANCHOR_END: step
}

// ANCHOR: update
/// The centered and/or momentum update of one tensor (see `step`).
fn update<const CENTERED: bool, const MOMENTUM: bool>(
    w: &mut [f32],
    g: &[f32],
    s: &mut [f32],
    avg: &mut [f32],
    m: &mut [f32],
    (lr, rho, mu, eps): (f32, f32, f32, f32),
) {
    for ((((w, &g), s), avg), m) in w.iter_mut().zip(g).zip(s).zip(avg).zip(m) {
        *s = rho * *s + (1.0 - rho) * g * g;
        let denom = if CENTERED {
            *avg = rho * *avg + (1.0 - rho) * g;
            *s - *avg * *avg + eps
        } else {
            *s + eps
        };
        let delta = lr * g / denom.sqrt();
        if MOMENTUM {
            *m = mu * *m + delta;
            *w -= *m;
        } else {
            *w -= delta;
        }
    }
}
// ANCHOR_END: update

/// s = ρs + (1−ρ)g²;  w −= lr·g / √(s + ε), element by element (see `crate::simd`).
#[inline(always)]
fn rmsprop_update(w: &mut [f32], g: &[f32], s: &mut [f32], lr: f32, rho: f32, eps: f32) {
    for ((w, &g), s) in w.iter_mut().zip(g).zip(s.iter_mut()) {
        *s = rho * *s + (1.0 - rho) * g * g;
        *w -= lr * g / (*s + eps).sqrt();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn run(opt: &mut RMSprop, w: &mut [f32], grads: &[f32]) {
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
    fn rmsprop_first_steps_match_the_keras_rule() {
        // g = 1: s1 = 0.1, w1 = 1 − 0.001/√(0.1+1e-7) = 1 − 0.0031623 = 0.9968377
        // g = 1: s2 = 0.09 + 0.1 = 0.19, w2 = w1 − 0.001/√0.19 = w1 − 0.0022942 = 0.9945435
        let mut w = [1.0f32];
        run(&mut RMSprop::new(), &mut w, &[1.0, 1.0]);
        assert_abs_diff_eq!(w[0], 0.994_543_5, epsilon = 1e-6);
    }

    #[test]
    fn rmsprop_matches_the_keras_docstring_example() {
        // Keras: RMSprop(learning_rate=0.1), loss var²/2 (g = var), var = 10 → 9.683772
        // (s = 0.1·100 = 10, w = 10 − 0.1·10/√10 = 10 − 0.316228).
        let mut w = [10.0f32];
        run(&mut RMSprop::new().learning_rate(0.1), &mut w, &[10.0]);
        assert_abs_diff_eq!(w[0], 9.683_772, epsilon = 1e-5);
    }

    #[test]
    fn rmsprop_momentum_accumulates_the_scaled_steps() {
        // lr 0.01, μ 0.5, g = 1: s1 = 0.1, Δ1 = 0.01/√0.1 = 0.0316228, m1 = Δ1;
        // s2 = 0.19, Δ2 = 0.01/√0.19 = 0.0229416, m2 = 0.5·Δ1 + Δ2 = 0.0387530;
        // w2 = 1 − m1 − m2 = 1 − 0.0703758 = 0.9296242
        let mut w = [1.0f32];
        let mut opt = RMSprop::new().learning_rate(0.01).momentum(0.5);
        run(&mut opt, &mut w, &[1.0, 1.0]);
        assert_abs_diff_eq!(w[0], 0.929_624_2, epsilon = 1e-6);
        assert_abs_diff_eq!(opt.momentums.buffers()[0][0], 0.038_753, epsilon = 1e-6);
    }

    #[test]
    fn centered_rmsprop_divides_by_the_variance() {
        // lr 0.01, g = 1 then 3: step 1: s = 0.1, ḡ = 0.1, denom = 0.1 − 0.01 = 0.09,
        // Δ = 0.01/0.3 = 0.0333333; step 2: s = 0.09 + 0.9 = 0.99, ḡ = 0.09 + 0.3 = 0.39,
        // denom = 0.99 − 0.1521 = 0.8379, Δ = 0.03/0.9153688 = 0.0327737;
        // w = 1 − 0.0661070 = 0.9338930
        let mut w = [1.0f32];
        let mut opt = RMSprop::new().learning_rate(0.01).centered(true);
        run(&mut opt, &mut w, &[1.0, 3.0]);
        assert_abs_diff_eq!(w[0], 0.933_893, epsilon = 1e-6);
    }

    #[test]
    fn rmsprop_keeps_separate_state_per_parameter() {
        // Tensor 0 always sees g = 1, tensor 1 always g = 0: tensor 1 never moves,
        // and the accumulator of tensor 0 is not shared with it.
        let mut opt = RMSprop::new();
        let (mut a, mut b) = ([1.0f32], [1.0f32]);
        for _ in 0..3 {
            let (mut ga, mut gb) = ([1.0f32], [0.0f32]);
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
        assert_eq!(b[0], 1.0);
        assert!(a[0] < 1.0);
        // s after three g=1 steps: 1 − 0.9³ = 0.271
        assert_abs_diff_eq!(opt.velocity.buffers()[0][0], 0.271, epsilon = 1e-6);
        assert_eq!(opt.velocity.buffers()[1][0], 0.0);
    }
}
