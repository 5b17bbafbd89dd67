//! `root_mean_squared_error`: √(mean of (ŷ − y)² over every output seen) — the error
//! in the units of the target, streamed over batches.

use ndarray::ArrayView2;

use super::metric::ratio;
use super::Metric;
use crate::losses::Targets;

// ANCHOR: rmse
/// `keras.metrics.RootMeanSquaredError`: √(Σ (ŷ − y)² / N) over all N values seen since
/// the reset (the root of the pooled mean, not a mean of batch roots).
#[derive(Debug, Clone, Default)]
pub struct RootMeanSquaredError {
    /// Σ w·(ŷ − y)² and Σ w over the values seen (w = 1 without sample weights; a
    /// sample's weight counts once per output, so the result is
    /// √(Σ wᵢ·meanₖ eᵢₖ² / Σ wᵢ), as Keras's `Mean` of the squared errors with
    /// `sample_weight`).
    sum_sq: f64,
    count: f64,
}

impl Metric for RootMeanSquaredError {
    fn name(&self) -> &str {
        "root_mean_squared_error"
    }
    fn reset(&mut self) {
        *self = Self::default();
    }
    fn update(&mut self, y_pred: ArrayView2<f32>, y_true: &Targets) {
        let outputs = y_pred.ncols();
        for ((i, k), &p) in y_pred.indexed_iter() {
            self.sum_sq += f64::from(p - y_true.value(i, k, outputs)).powi(2);
        }
        self.count += y_pred.len() as f64;
    }
    fn result(&self) -> f64 {
        ratio(self.sum_sq, self.count).sqrt()
    }
    fn takes_sample_weight(&self) -> bool {
        true
    }
    fn update_weighted(
        &mut self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        weights: &[f32],
    ) {
        let outputs = y_pred.ncols();
        for ((i, k), &p) in y_pred.indexed_iter() {
            let w = f64::from(weights.get(i).copied().unwrap_or(0.0));
            self.sum_sq += w * f64::from(p - y_true.value(i, k, outputs)).powi(2);
            self.count += w;
        }
    }
}
// ANCHOR_END: rmse

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use ndarray::array;

    #[test]
    fn rmse_pools_squared_errors_across_batches() {
        // batch 1: errors 1, 2 (squares 1, 4); batch 2: error 3 (square 9).
        // √((1 + 4 + 9)/3) = √(14/3) = 2.1602469 — not the mean of √2.5 and 3.
        let mut m = RootMeanSquaredError::default();
        let (y1, y2) = (array![[0.0f32], [0.0]], array![[1.0f32]]);
        m.update(array![[1.0f32], [-2.0]].view(), &Targets::Dense(y1.view()));
        m.update(array![[4.0f32]].view(), &Targets::Dense(y2.view()));
        assert_abs_diff_eq!(m.result(), (14.0f64 / 3.0).sqrt(), epsilon = 1e-12);
    }
}
