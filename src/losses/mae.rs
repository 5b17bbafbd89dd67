//! `mean_absolute_error` (`"mae"`): mean over outputs of |ŷ − y|, then over the batch.

use ndarray::{ArrayView2, ArrayViewMut2};

use super::elementwise::{gradient_of, mean_of, sign};
use super::{Loss, Targets};

// ANCHOR: mae
/// ℓ = |ŷ − y|;  ∂ℓ/∂ŷ = sign(ŷ − y) (0 where ŷ = y).
pub struct MeanAbsoluteError;

impl Loss for MeanAbsoluteError {
    fn name(&self) -> &'static str {
        "mean_absolute_error"
    }
    fn value(&self, y_pred: ArrayView2<f32>, y_true: &Targets) -> f64 {
        mean_of(y_pred, y_true, |p, y| f64::from(p - y).abs())
    }
    fn gradient(
        &self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        grad: ArrayViewMut2<f32>,
    ) {
        gradient_of(y_pred, y_true, grad, |p, y| sign(p - y))
    }
}
// ANCHOR_END: mae

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
    fn mae_of_a_known_pair() {
        // (|1 − 0| + |2 − 4| + |−1 − 1| + |3 − 3|) / 4 = (1 + 2 + 2 + 0) / 4 = 1.25
        let p = array![[1.0f32, 2.0], [-1.0, 3.0]];
        let y = array![[0.0f32, 4.0], [1.0, 3.0]];
        let v = MeanAbsoluteError.value(p.view(), &Targets::Dense(y.view()));
        assert_abs_diff_eq!(v, 1.25, epsilon = 1e-9);
    }

    proptest! {
        #[test]
        fn mae_gradient_matches_finite_differences(
            b in 1usize..4, k in 1usize..4, seed in 0u64..1000,
        ) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let y = random_matrix(b, k, -2.0, 2.0, &mut rng);
            // ŷ = y ± (0.1..1): away from the kink at ŷ = y
            let d = random_matrix(b, k, 0.1, 1.0, &mut rng);
            let s = random_matrix(b, k, -1.0, 1.0, &mut rng).mapv(f32::signum);
            let p = &y + &(d * s);
            check_loss(&MeanAbsoluteError, &p, &Targets::Dense(y.view()))
                .map_err(TestCaseError::fail)?;
        }
    }
}
