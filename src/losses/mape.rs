//! `mean_absolute_percentage_error` (`"mape"`): 100 · mean of |(y − ŷ) / y|.

use ndarray::{ArrayView2, ArrayViewMut2};

use super::elementwise::{gradient_of, mean_of, sign};
use super::{Loss, Targets};
use crate::losses::crossentropy::EPSILON;

// ANCHOR: mape
/// ℓ = 100·|y − ŷ| / max(|y|, ε);  ∂ℓ/∂ŷ = 100·sign(ŷ − y) / max(|y|, ε).
pub struct MeanAbsolutePercentageError;

impl Loss for MeanAbsolutePercentageError {
    fn name(&self) -> &'static str {
        "mean_absolute_percentage_error"
    }
    fn value(&self, y_pred: ArrayView2<f32>, y_true: &Targets) -> f64 {
        mean_of(y_pred, y_true, |p, y| {
            100.0 * f64::from((y - p).abs() / y.abs().max(EPSILON))
        })
    }
    fn gradient(
        &self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        grad: ArrayViewMut2<f32>,
    ) {
        gradient_of(y_pred, y_true, grad, |p, y| {
            100.0 * sign(p - y) / y.abs().max(EPSILON)
        })
    }
}
// ANCHOR_END: mape

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
    fn mape_of_a_known_pair() {
        // 100 · (|2 − 1|/2 + |4 − 5|/4) / 2 = 100 · (0.5 + 0.25) / 2 = 37.5
        let p = array![[1.0f32, 5.0]];
        let y = array![[2.0f32, 4.0]];
        let v = MeanAbsolutePercentageError.value(p.view(), &Targets::Dense(y.view()));
        assert_abs_diff_eq!(v, 37.5, epsilon = 1e-9);
    }

    proptest! {
        #[test]
        fn mape_gradient_matches_finite_differences(
            b in 1usize..4, k in 1usize..4, seed in 0u64..1000,
        ) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let y = random_matrix(b, k, 0.5, 3.0, &mut rng);
            let d = random_matrix(b, k, 0.1, 1.0, &mut rng);
            let s = random_matrix(b, k, -1.0, 1.0, &mut rng).mapv(f32::signum);
            let p = &y + &(d * s);
            check_loss(&MeanAbsolutePercentageError, &p, &Targets::Dense(y.view()))
                .map_err(TestCaseError::fail)?;
        }
    }
}
