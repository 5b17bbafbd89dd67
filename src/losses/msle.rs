//! `mean_squared_logarithmic_error` (`"msle"`): the squared error of log(1 + ·), for
//! positive targets spanning orders of magnitude.

use ndarray::{ArrayView2, ArrayViewMut2};

use super::elementwise::{gradient_of, mean_of};
use super::{Loss, Targets};
use crate::losses::crossentropy::EPSILON;

// ANCHOR: msle
/// ℓ = (log(max(ŷ, ε) + 1) − log(max(y, ε) + 1))²;
/// ∂ℓ/∂ŷ = 2(log(ŷ + 1) − log(max(y, ε) + 1)) / (ŷ + 1) for ŷ > ε, else 0.
pub struct MeanSquaredLogarithmicError;

/// log(max(x, ε) + 1), NaN for a NaN x (`f32::max` would return ε).
fn log1p_clipped(x: f32) -> f32 {
    if x.is_nan() {
        return x;
    }
    (x.max(EPSILON) + 1.0).ln()
}

impl Loss for MeanSquaredLogarithmicError {
    fn name(&self) -> &'static str {
        "mean_squared_logarithmic_error"
    }
    fn value(&self, y_pred: ArrayView2<f32>, y_true: &Targets) -> f64 {
        mean_of(y_pred, y_true, |p, y| {
            f64::from(log1p_clipped(p) - log1p_clipped(y)).powi(2)
        })
    }
    fn gradient(
        &self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        grad: ArrayViewMut2<f32>,
    ) {
        gradient_of(y_pred, y_true, grad, |p, y| {
            if p > EPSILON {
                2.0 * (log1p_clipped(p) - log1p_clipped(y)) / (p + 1.0)
            } else if p.is_nan() {
                p
            } else {
                0.0
            }
        })
    }
}
// ANCHOR_END: msle

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
    fn msle_of_a_known_pair() {
        // ŷ = e − 1, y = 0 (clipped to ε): (1 − log(1 + 1e-7))² ≈ (1 − 1e-7)² ≈ 0.9999998;
        // ŷ = y = 3: 0. Mean 0.4999999.
        let p = array![[std::f32::consts::E - 1.0, 3.0]];
        let y = array![[0.0f32, 3.0]];
        let v = MeanSquaredLogarithmicError.value(p.view(), &Targets::Dense(y.view()));
        assert_abs_diff_eq!(v, 0.499_999_9, epsilon = 1e-6);
    }

    proptest! {
        #[test]
        fn msle_gradient_matches_finite_differences(
            b in 1usize..4, k in 1usize..4, seed in 0u64..1000,
        ) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let p = random_matrix(b, k, 0.1, 5.0, &mut rng);
            let y = random_matrix(b, k, 0.0, 5.0, &mut rng);
            check_loss(&MeanSquaredLogarithmicError, &p, &Targets::Dense(y.view()))
                .map_err(TestCaseError::fail)?;
        }
    }
}
