//! Metrics: streaming figures accumulated over an epoch, as Keras's `metrics=[...]`.

mod accuracy;

pub use accuracy::Accuracy;

use ndarray::ArrayView2;

use crate::error::ModelError;
use crate::losses::Targets;

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
pub const NAMES: [&str; 2] = ["accuracy", "acc"];

/// Looks a metric up by its Keras name.
pub fn from_name(name: &str) -> Result<Box<dyn Metric>, ModelError> {
    match name {
        "accuracy" | "acc" => Ok(Box::new(Accuracy::default())),
        _ => Err(ModelError::UnknownName {
            what: "metric",
            name: name.into(),
            known: NAMES.join(", "),
        }),
    }
}
