//! Metrics: streaming figures accumulated over an epoch, as Keras's `metrics=[...]`.

mod accuracy;
mod binary_accuracy;
mod categorical_accuracy;
mod mean_of_loss;
mod metric;
mod rmse;

pub use accuracy::Accuracy;
pub use binary_accuracy::BinaryAccuracy;
pub use categorical_accuracy::CategoricalAccuracy;
pub use mean_of_loss::MeanOfLoss;
pub use metric::{
    canonical_name, check_output_width, from_name, from_names, Metric, NAMES,
};
pub use rmse::RootMeanSquaredError;
