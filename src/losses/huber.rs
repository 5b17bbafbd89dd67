//! `huber`: squared error for small errors, absolute error beyond `delta` — MSE's smooth
//! minimum with MAE's robustness to outliers.

use ndarray::{ArrayView2, ArrayViewMut2};

use super::elementwise::{gradient_of, mean_of};
use super::{Loss, Targets};

// ANCHOR: huber
/// `keras.losses.Huber(delta=1.0)`. With e = ŷ − y:
/// ℓ = ½e² where |e| ≤ δ, else δ|e| − ½δ²;  ∂ℓ/∂ŷ = e where |e| ≤ δ, else δ·sign(e).
#[derive(Debug, Clone, Copy)]
pub struct Huber {
    pub delta: f32,
}

impl Default for Huber {
    fn default() -> Self {
        Huber { delta: 1.0 }
    }
}

impl Loss for Huber {
    fn name(&self) -> &'static str {
        "huber"
    }
    fn value(&self, y_pred: ArrayView2<f32>, y_true: &Targets) -> f64 {
        let d = f64::from(self.delta);
        mean_of(y_pred, y_true, |p, y| {
            let e = f64::from(p - y).abs();
            if e <= d {
                0.5 * e * e
            } else {
                d * e - 0.5 * d * d
            }
        })
    }
    fn gradient(
        &self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        grad: ArrayViewMut2<f32>,
    ) {
        let d = self.delta;
        // p − y clamped to ±δ (max/min: no panic even for a nonsensical δ < 0); a NaN
        // error stays NaN (`f32::max` would turn it into −δ)
        gradient_of(y_pred, y_true, grad, |p, y| {
            let e = p - y;
            if e.is_nan() {
                e
            } else {
                e.max(-d).min(d)
            }
        })
    }
}
// ANCHOR_END: huber

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck::{check_loss, random_matrix};
    use approx::assert_abs_diff_eq;
    use ndarray::array;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn huber_is_quadratic_inside_delta_and_linear_outside() {
        // δ = 1: e = 0.5 → ½·0.25 = 0.125; e = −3 → 3 − 0.5 = 2.5. Mean 1.3125.
        let p = array![[0.5f32, -3.0]];
        let y = array![[0.0f32, 0.0]];
        let v = Huber::default().value(p.view(), &Targets::Dense(y.view()));
        assert_abs_diff_eq!(v, 1.3125, epsilon = 1e-9);
    }

    proptest! {
        #[test]
        fn huber_gradient_matches_finite_differences(
            b in 1usize..4, k in 1usize..4, seed in 0u64..1000, delta in 0.5f32..2.0,
        ) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let y = random_matrix(b, k, -2.0, 2.0, &mut rng);
            let mut p = random_matrix(b, k, -4.0, 4.0, &mut rng);
            // keep |ŷ − y| away from δ, where ℓ'' jumps (ℓ' itself is continuous)
            p.zip_mut_with(&y, |p, &y| if ((*p - y).abs() - delta).abs() < 0.05 { *p += 0.2 });
            check_loss(&Huber { delta }, &p, &Targets::Dense(y.view()))
                .map_err(TestCaseError::fail)?;
        }
    }
}
