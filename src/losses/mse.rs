//! `mean_squared_error`: mean over outputs of (ŷ − y)², then over the batch.

use ndarray::{ArrayView2, ArrayViewMut2, Zip};

use super::{Loss, Targets};

/// L = (1/B) Σ_b (1/K) Σ_k (ŷ_bk − y_bk)²;  ∂L/∂ŷ = 2(ŷ − y) / (B·K).
pub struct MeanSquaredError;

impl Loss for MeanSquaredError {
    fn name(&self) -> &'static str {
        "mean_squared_error"
    }

    fn value(&self, y_pred: ArrayView2<f32>, y_true: &Targets) -> f64 {
        let (batch, outputs) = y_pred.dim();
        let sum: f64 = y_pred
            .indexed_iter()
            .map(|((i, k), &p)| f64::from(p - y_true.value(i, k, outputs)).powi(2))
            .sum();
        sum / (batch * outputs) as f64
    }

    fn gradient(
        &self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        mut grad: ArrayViewMut2<f32>,
    ) {
        let (batch, outputs) = y_pred.dim();
        let scale = 2.0 / (batch * outputs) as f32;
        Zip::indexed(&mut grad)
            .and(&y_pred)
            .for_each(|(i, k), g, &p| *g = scale * (p - y_true.value(i, k, outputs)));
    }
}

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
    fn mse_of_a_known_pair() {
        // ((1−0)² + (2−4)²) / 2 = 2.5
        let p = array![[1.0f32, 2.0]];
        let y = array![[0.0f32, 4.0]];
        assert_abs_diff_eq!(
            MeanSquaredError.value(p.view(), &Targets::Dense(y.view())),
            2.5,
            epsilon = 1e-9
        );
    }

    proptest! {
        #[test]
        fn mse_gradient_matches_finite_differences(
            batch in 1usize..4, k in 1usize..4, seed in 0u64..1000,
        ) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let p = random_matrix(batch, k, -2.0, 2.0, &mut rng);
            let y = random_matrix(batch, k, -2.0, 2.0, &mut rng);
            check_loss(&MeanSquaredError, &p, &Targets::Dense(y.view()))
                .map_err(TestCaseError::fail)?;
        }
    }
}
