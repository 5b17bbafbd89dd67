//! `accuracy`: the fraction of samples whose predicted class is the target class.

use ndarray::{ArrayView2, Axis};

use super::metric::{predicted_class, ratio};
use super::Metric;
use crate::losses::Targets;

/// Keras's `"accuracy"`, resolved from the data as Keras resolves it: with one output,
/// binary accuracy (ŷ > 0.5 against y > 0.5); with several, the arg-max of ŷ against the
/// label (sparse categorical) or against the arg-max of a one-hot row (categorical).
/// A row of outputs holding a NaN is wrong, whatever the target.
#[derive(Default)]
pub struct Accuracy {
    /// Σ w·[right] and Σ w (w = 1 without sample weights): counts, exact in f64.
    correct: f64,
    seen: f64,
}

impl Metric for Accuracy {
    fn name(&self) -> &str {
        "accuracy"
    }

    fn reset(&mut self) {
        *self = Accuracy::default();
    }

    fn update(&mut self, y_pred: ArrayView2<f32>, y_true: &Targets) {
        for (i, row) in y_pred.axis_iter(Axis(0)).enumerate() {
            self.correct +=
                f64::from(u8::from(predicted_class(row) == Some(y_true.label(i))));
        }
        self.seen += y_pred.nrows() as f64;
    }

    fn result(&self) -> f64 {
        ratio(self.correct, self.seen)
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
        for ((i, row), &w) in y_pred.axis_iter(Axis(0)).enumerate().zip(weights) {
            let right = predicted_class(row) == Some(y_true.label(i));
            self.correct += f64::from(w) * f64::from(u8::from(right));
            self.seen += f64::from(w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn accuracy_counts_correct_over_seen_across_batches() {
        let mut acc = Accuracy::default();
        // batch 1: arg-max 1, 0 against labels 1, 1 → 1 of 2
        acc.update(
            array![[0.1f32, 0.9], [0.8, 0.2]].view(),
            &Targets::Labels(&[1, 1]),
        );
        // batch 2: arg-max 0 against label 0 → 1 of 1; total 2 of 3
        acc.update(array![[0.6f32, 0.4]].view(), &Targets::Labels(&[0]));
        assert_eq!(acc.result(), 2.0 / 3.0);
        acc.reset();
        assert_eq!(acc.result(), 0.0);
    }

    #[test]
    fn a_nan_prediction_is_never_right() {
        // arg-max of [NaN, NaN] was 0, which matched label 0
        let mut acc = Accuracy::default();
        let p = ndarray::Array2::from_elem((2, 2), f32::NAN);
        acc.update(p.view(), &Targets::Labels(&[0, 0]));
        acc.update(array![[f32::NAN], [0.7]].view(), &Targets::Labels(&[0, 1]));
        assert_eq!(acc.result(), 1.0 / 4.0);
    }

    #[test]
    fn accuracy_with_one_output_thresholds_at_one_half() {
        let mut acc = Accuracy::default();
        let y = array![[1.0f32], [0.0], [1.0]];
        acc.update(
            array![[0.7f32], [0.2], [0.4]].view(),
            &Targets::Dense(y.view()),
        );
        assert_eq!(acc.result(), 2.0 / 3.0);
    }
}
