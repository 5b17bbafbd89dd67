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

    /// Whether `update_weighted` weighs the samples, so the metric can be listed in
    /// `Compile::weighted_metrics`. Every built-in metric does.
    fn takes_sample_weight(&self) -> bool {
        false
    }

    /// One batch with a weight wᵢ ≥ 0 per sample, as Keras 3's `Mean` with
    /// `sample_weight`: total += Σ wᵢ·vᵢ, count += Σ wᵢ (vᵢ the sample's value, e.g. 1
    /// when right), result total / count (0 while count is 0). The default ignores the
    /// weights; it is only called when `takes_sample_weight` is true.
    fn update_weighted(
        &mut self,
        y_pred: ArrayView2<f32>,
        y_true: &Targets,
        weights: &[f32],
    ) {
        let _ = weights;
        self.update(y_pred, y_true);
    }
}

/// total / count, 0 while nothing (or only zero weight) has been seen: Keras's
/// `divide_no_nan`.
pub(crate) fn ratio(total: f64, count: f64) -> f64 {
    if count == 0.0 {
        0.0
    } else {
        total / count
    }
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

/// The metric a name stands for once Keras's short names are resolved (`"acc"` is
/// `"accuracy"`, `"mse"` is `"mean_squared_error"`, …).
pub fn canonical_name(name: &str) -> &str {
    match name {
        "acc" => "accuracy",
        "mse" => "mean_squared_error",
        "mae" => "mean_absolute_error",
        "mape" => "mean_absolute_percentage_error",
        "msle" => "mean_squared_logarithmic_error",
        _ => name,
    }
}

/// `metrics=[...]`: each name looked up by `from_name`. The same metric twice (after
/// the short names are resolved) is an error: its figures would be recorded twice per
/// epoch, under one History key or two.
pub fn from_names(names: &[String]) -> Result<Vec<Box<dyn Metric>>, ModelError> {
    for (j, name) in names.iter().enumerate() {
        let same = names[..j]
            .iter()
            .find(|earlier| canonical_name(earlier) == canonical_name(name));
        if let Some(earlier) = same {
            let listed = if earlier == name {
                format!("{name:?} is listed twice")
            } else {
                format!("{earlier:?} and {name:?} are the same metric, listed twice")
            };
            return Err(ModelError::Config {
                what: "metrics".into(),
                why: format!(
                    "{listed}: History would record it twice per epoch; list it once"
                ),
            });
        }
    }
    names.iter().map(|name| from_name(name)).collect()
}

/// Checks that every metric means something on a model output of `width` units: an
/// arg-max over one unit is always 0, so `categorical_accuracy` and
/// `sparse_categorical_accuracy` would only count the samples of class 0.
pub fn check_output_width(
    metrics: &[Box<dyn Metric>],
    width: usize,
) -> Result<(), ModelError> {
    let argmax_metric = metrics.iter().map(|m| m.name()).find(|&name| {
        name == "categorical_accuracy" || name == "sparse_categorical_accuracy"
    });
    match argmax_metric {
        Some(name) if width == 1 => Err(ModelError::Config {
            what: format!("metric {name:?}"),
            why: "it compares the arg-max of the outputs, always 0 over the model's one \
                  output: use \"accuracy\" or \"binary_accuracy\", which threshold it at 0.5"
                .into(),
        }),
        _ => Ok(()),
    }
}

/// The class a row of outputs predicts: the arg-max over several outputs (first on ties),
/// ŷ > 0.5 for one. `None` when the row holds a NaN: such a row predicts no class, so
/// it is wrong for every accuracy (not class 0, which a plain arg-max would give).
pub(crate) fn predicted_class(row: ndarray::ArrayView1<f32>) -> Option<usize> {
    match row.len() {
        1 if row[0].is_nan() => None,
        1 => Some(usize::from(row[0] > 0.5)),
        _ => argmax_class(row),
    }
}

/// The arg-max of a row (first on ties), `None` when the row holds a NaN.
pub(crate) fn argmax_class(row: ndarray::ArrayView1<f32>) -> Option<usize> {
    if row.iter().any(|v| v.is_nan()) {
        return None;
    }
    Some(losses::argmax(row.iter().copied()))
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
    fn a_metric_listed_twice_under_any_of_its_names_is_an_error() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let err = from_names(&names(&["acc", "mae", "accuracy"]))
            .err()
            .expect("duplicate")
            .to_string();
        assert_eq!(
            err,
            "invalid metrics: \"acc\" and \"accuracy\" are the same metric, listed twice: \
             History would record it twice per epoch; list it once"
        );
        let ok = from_names(&names(&["accuracy", "sparse_categorical_accuracy", "mse"]));
        assert_eq!(ok.map(|m| m.len()).ok(), Some(3));
    }

    #[test]
    fn a_row_holding_a_nan_predicts_no_class() {
        use ndarray::array;
        assert_eq!(predicted_class(array![0.2f32, 0.7, 0.1].view()), Some(1));
        assert_eq!(predicted_class(array![f32::NAN, 0.7].view()), None);
        assert_eq!(predicted_class(array![0.7f32].view()), Some(1));
        assert_eq!(predicted_class(array![f32::NAN].view()), None);
        assert_eq!(argmax_class(array![0.7f32].view()), Some(0));
        assert_eq!(argmax_class(array![0.1f32, f32::NAN].view()), None);
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
