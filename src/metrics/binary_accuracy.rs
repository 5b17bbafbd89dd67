//! `binary_accuracy`: the fraction of outputs on the right side of a threshold.

use ndarray::ArrayView2;

use super::metric::ratio;
use super::Metric;
use crate::losses::Targets;

// ANCHOR: binary_accuracy
/// `keras.metrics.BinaryAccuracy(threshold=0.5)`: per sample, the mean over outputs of
/// [ (ŷ > threshold) = y ]; over samples, the mean of that. A NaN output is wrong (not
/// "below the threshold", which would match y = 0).
#[derive(Debug, Clone)]
pub struct BinaryAccuracy {
    threshold: f32,
    /// Σ w·(fraction right) and Σ w (w = 1 without sample weights).
    total: f64,
    seen: f64,
}

impl Default for BinaryAccuracy {
    fn default() -> Self {
        Self::new(0.5)
    }
}

impl BinaryAccuracy {
    pub fn new(threshold: f32) -> Self {
        BinaryAccuracy {
            threshold,
            total: 0.0,
            seen: 0.0,
        }
    }
}

impl BinaryAccuracy {
    /// Sample i's mean over outputs of [ (ŷ > threshold) = y ].
    fn fraction_right(&self, y_pred: ArrayView2<f32>, y_true: &Targets, i: usize) -> f64 {
        let outputs = y_pred.ncols();
        let right = y_pred
            .row(i)
            .iter()
            .enumerate()
            .filter(|&(k, &p)| {
                !p.is_nan()
                    && f32::from(u8::from(p > self.threshold))
                        == y_true.value(i, k, outputs)
            })
            .count();
        right as f64 / outputs as f64
    }
}

impl Metric for BinaryAccuracy {
    fn name(&self) -> &str {
        "binary_accuracy"
    }
    fn reset(&mut self) {
        (self.total, self.seen) = (0.0, 0.0);
    }
    fn update(&mut self, y_pred: ArrayView2<f32>, y_true: &Targets) {
        for i in 0..y_pred.nrows() {
            self.total += self.fraction_right(y_pred, y_true, i);
        }
        self.seen += y_pred.nrows() as f64;
    }
    fn result(&self) -> f64 {
        ratio(self.total, self.seen)
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
        for (i, &w) in weights.iter().enumerate().take(y_pred.nrows()) {
            self.total += f64::from(w) * self.fraction_right(y_pred, y_true, i);
            self.seen += f64::from(w);
        }
    }
}
// ANCHOR_END: binary_accuracy

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn binary_accuracy_thresholds_each_output() {
        // sample 1: 0.7 → 1 vs 1 ✓, 0.2 → 0 vs 1 ✗ → ½; sample 2: 0.6 → 1 vs 0 ✗,
        // 0.4 → 0 vs 0 ✓ → ½; sample 3 (next batch): 0.9, 0.1 vs 1, 0 → 1. Mean 2/3.
        let mut acc = BinaryAccuracy::default();
        let y = array![[1.0f32, 1.0], [0.0, 0.0]];
        acc.update(
            array![[0.7f32, 0.2], [0.6, 0.4]].view(),
            &Targets::Dense(y.view()),
        );
        let y2 = array![[1.0f32, 0.0]];
        acc.update(array![[0.9f32, 0.1]].view(), &Targets::Dense(y2.view()));
        assert!((acc.result() - 2.0 / 3.0).abs() < 1e-12);
        acc.reset();
        assert_eq!(acc.result(), 0.0);
    }

    #[test]
    fn a_nan_output_is_wrong_even_against_a_zero_target() {
        // sample 1: NaN vs 0 ✗, 0.2 vs 0 ✓ → ½; sample 2: NaN vs 0 ✗ → 0. Mean ¼.
        let mut acc = BinaryAccuracy::default();
        let y = array![[0.0f32, 0.0], [0.0, 0.0]];
        acc.update(
            array![[f32::NAN, 0.2], [f32::NAN, f32::NAN]].view(),
            &Targets::Dense(y.view()),
        );
        assert_eq!(acc.result(), 0.25);
    }

    #[test]
    fn binary_accuracy_reads_integer_labels_with_one_output() {
        // labels 1, 0, 1 against ŷ 0.8, 0.3, 0.5 (0.5 is not > 0.5 → 0): 2 of 3
        let mut acc = BinaryAccuracy::default();
        acc.update(
            array![[0.8f32], [0.3], [0.5]].view(),
            &Targets::Labels(&[1, 0, 1]),
        );
        assert!((acc.result() - 2.0 / 3.0).abs() < 1e-12);
    }
}
