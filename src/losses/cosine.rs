//! `cosine_similarity`: minus the cosine of the angle between ŷ and y, per sample —
//! it compares directions and ignores lengths.

use ndarray::{ArrayView2, ArrayViewMut2, Axis};

use super::{Loss, Targets};
use crate::losses::crossentropy::EPSILON;

// ANCHOR: cosine
/// ℓ_b = −ŷ·y / (n(ŷ)·n(y)) with n(x) = max(‖x‖, ε), in [−1, 1] (−1 = same direction).
/// With p̂ = ŷ/‖ŷ‖, ŷ = y/n(y) and c = ŷ·p̂: ∂ℓ_b/∂ŷ = −(ŷ − c·p̂) / ‖ŷ‖, over B.
pub struct CosineSimilarity;

/// max(‖x‖, ε); NaN when x holds a NaN (`f32::max` would return ε).
fn norm(row: impl Iterator<Item = f32>) -> f32 {
    let n = row.map(|v| v * v).sum::<f32>().sqrt();
    if n.is_nan() {
        n
    } else {
        n.max(EPSILON)
    }
}

impl Loss for CosineSimilarity {
    fn name(&self) -> &'static str {
        "cosine_similarity"
    }
    fn value(&self, y_pred: ArrayView2<f32>, y_true: &Targets) -> f64 {
        let (batch, outputs) = y_pred.dim();
        let mut total = 0.0f64;
        for (i, row) in y_pred.axis_iter(Axis(0)).enumerate() {
            let y = |k| y_true.value(i, k, outputs);
            let (np, ny) = (norm(row.iter().copied()), norm((0..outputs).map(y)));
            let dot: f32 = row.iter().enumerate().map(|(k, &p)| p * y(k)).sum();
            total -= f64::from(dot / (np * ny));
        }
        total / batch as f64
    }
    fn gradient(
        &self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        mut grad: ArrayViewMut2<f32>,
    ) {
        let (batch, outputs) = y_pred.dim();
        for (i, (row, mut g)) in y_pred
            .axis_iter(Axis(0))
            .zip(grad.axis_iter_mut(Axis(0)))
            .enumerate()
        {
            let y = |k| y_true.value(i, k, outputs);
            let (np, ny) = (norm(row.iter().copied()), norm((0..outputs).map(y)));
            // c = cos(ŷ, y) = ȳ·p̂
            let c: f32 = row
                .iter()
                .enumerate()
                .map(|(k, &p)| p / np * y(k) / ny)
                .sum();
            for (k, (g, &p)) in g.iter_mut().zip(row.iter()).enumerate() {
                *g = -(y(k) / ny - c * p / np) / np / batch as f32;
            }
        }
    }
}
// ANCHOR_END: cosine

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
    fn cosine_similarity_matches_the_keras_example() {
        // Keras docstring: y = [[0,1],[1,1],[1,1]], ŷ = [[1,0],[1,1],[−1,−1]]
        // per sample [−0, −1, 1] (Keras prints −0.99999994, 0.99999994); mean 0.
        let y = array![[0.0f32, 1.0], [1.0, 1.0], [1.0, 1.0]];
        let p = array![[1.0f32, 0.0], [1.0, 1.0], [-1.0, -1.0]];
        let t = Targets::Dense(y.view());
        assert_abs_diff_eq!(CosineSimilarity.value(p.view(), &t), 0.0, epsilon = 1e-6);
        // the second sample alone: same direction → −1
        let v = CosineSimilarity.value(
            p.slice(ndarray::s![1..2, ..]),
            &Targets::Dense(y.slice(ndarray::s![1..2, ..])),
        );
        assert_abs_diff_eq!(v, -1.0, epsilon = 1e-6);
    }

    proptest! {
        #[test]
        fn cosine_gradient_matches_finite_differences(
            b in 1usize..4, k in 2usize..5, seed in 0u64..1000,
        ) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut p = random_matrix(b, k, -2.0, 2.0, &mut rng);
            p.mapv_inplace(|v| if v.abs() < 0.2 { v + 0.5 } else { v }); // ‖ŷ‖ well above 0
            let y = random_matrix(b, k, -2.0, 2.0, &mut rng);
            check_loss(&CosineSimilarity, &p, &Targets::Dense(y.view()))
                .map_err(TestCaseError::fail)?;
        }
    }
}
