//! `categorical_accuracy`: the fraction of samples whose arg-max output is the class of
//! the one-hot target (or, as `sparse_categorical_accuracy`, the integer label).

use ndarray::{ArrayView2, Axis};

use super::metric::{argmax_class, ratio};
use super::Metric;
use crate::losses::Targets;

// ANCHOR: categorical_accuracy
/// [ argmax ŷ = argmax y ], averaged over samples. Integer labels are read as the class
/// itself, so one struct serves `categorical_accuracy` and `sparse_categorical_accuracy`.
/// A row of outputs holding a NaN predicts no class: it is wrong.
#[derive(Debug, Clone)]
pub struct CategoricalAccuracy {
    name: &'static str,
    /// Σ w·[right] and Σ w (w = 1 without sample weights).
    correct: f64,
    seen: f64,
}

impl Default for CategoricalAccuracy {
    fn default() -> Self {
        CategoricalAccuracy {
            name: "categorical_accuracy",
            correct: 0.0,
            seen: 0.0,
        }
    }
}

impl CategoricalAccuracy {
    /// The same metric under Keras's sparse name.
    pub fn sparse() -> Self {
        CategoricalAccuracy {
            name: "sparse_categorical_accuracy",
            ..Self::default()
        }
    }
}

impl Metric for CategoricalAccuracy {
    fn name(&self) -> &str {
        self.name
    }
    fn reset(&mut self) {
        (self.correct, self.seen) = (0.0, 0.0);
    }
    fn update(&mut self, y_pred: ArrayView2<f32>, y_true: &Targets) {
        for (i, row) in y_pred.axis_iter(Axis(0)).enumerate() {
            self.correct +=
                f64::from(u8::from(argmax_class(row) == Some(y_true.label(i))));
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
            let right = argmax_class(row) == Some(y_true.label(i));
            self.correct += f64::from(w) * f64::from(u8::from(right));
            self.seen += f64::from(w);
        }
    }
}
// ANCHOR_END: categorical_accuracy

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn a_row_with_a_nan_is_wrong_even_against_class_zero() {
        let mut acc = CategoricalAccuracy::sparse();
        acc.update(
            array![[f32::NAN, 0.2], [0.9, 0.1]].view(),
            &Targets::Labels(&[0, 0]),
        );
        assert_eq!(acc.result(), 0.5);
    }

    #[test]
    fn categorical_accuracy_compares_arg_maxes_of_one_hot_rows() {
        // arg-max ŷ: 2, 0, 1; arg-max y: 2, 1, 1 → 2 of 3
        let y = array![[0.0f32, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]];
        let p = array![[0.1f32, 0.2, 0.7], [0.5, 0.3, 0.2], [0.2, 0.6, 0.2]];
        let mut acc = CategoricalAccuracy::default();
        acc.update(p.view(), &Targets::Dense(y.view()));
        assert!((acc.result() - 2.0 / 3.0).abs() < 1e-12);
        // the same with integer labels
        let mut sparse = CategoricalAccuracy::sparse();
        sparse.update(p.view(), &Targets::Labels(&[2, 1, 1]));
        assert_eq!(
            (sparse.name(), sparse.result()),
            ("sparse_categorical_accuracy", acc.result())
        );
    }
}
