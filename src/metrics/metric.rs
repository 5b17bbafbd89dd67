//! The `Metric` trait and lookup of metrics by Keras name.

use super::*;
use ndarray::ArrayView2;

use crate::error::ModelError;
use crate::losses::{self, Targets};

/// A metric accumulated batch by batch.
///
/// Contract: `reset` starts a new epoch (or evaluation); `update` folds in one batch;
/// `result` is the figure over everything seen since the reset (for accuracy,
/// correct / seen — not a mean of batch means).
pub trait Metric {
    /// The History key: `"accuracy"`, …
    fn name(&self) -> &str;
    fn reset(&mut self);
    fn update(&mut self, y_pred: ArrayView2<f32>, y_true: &Targets);
    fn result(&self) -> f64;
}

/// The metrics known by name.
pub const NAMES: [&str; 16] = [
    "accuracy",
    "acc",
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
    "root_mean_squared_error",
    "mean_squared_error",
    "mse",
    "mean_absolute_error",
    "mae",
    "mean_absolute_percentage_error",
    "mape",
    "mean_squared_logarithmic_error",
    "msle",
    "cosine_similarity",
    "huber",
];

/// Looks a metric up by its Keras name. A loss named as a metric (`"mae"`, …) is the
/// mean of that loss over the samples seen; the History key is the name given.
pub fn from_name(name: &str) -> Result<Box<dyn Metric>, ModelError> {
    match name {
        "accuracy" | "acc" => Ok(Box::new(Accuracy::default())),
        "binary_accuracy" => Ok(Box::new(BinaryAccuracy::default())),
        "categorical_accuracy" => Ok(Box::new(CategoricalAccuracy::default())),
        "sparse_categorical_accuracy" => Ok(Box::new(CategoricalAccuracy::sparse())),
        "root_mean_squared_error" => Ok(Box::new(RootMeanSquaredError::default())),
        // Keras's cosine-similarity metric is +cos, the loss −cos
        "cosine_similarity" => Ok(Box::new(MeanOfLoss::new(
            name,
            losses::from_name(name)?,
            -1.0,
        ))),
        _ if NAMES.contains(&name) => Ok(Box::new(MeanOfLoss::new(
            name,
            losses::from_name(name)?,
            1.0,
        ))),
        _ => Err(ModelError::UnknownName {
            what: "metric",
            name: name.into(),
            known: NAMES.join(", "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_name_resolves_and_reports_the_name_given() {
        for &name in &NAMES {
            let m = from_name(name).expect("known");
            if name != "acc" {
                assert_eq!(m.name(), name);
            }
        }
    }

    #[test]
    fn an_unknown_metric_name_is_an_error_listing_the_known_ones() {
        let err = from_name("auc").err().expect("unknown").to_string();
        assert!(
            err.contains("\"auc\"") && err.contains("root_mean_squared_error"),
            "{err}"
        );
    }
}
