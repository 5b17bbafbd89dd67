//! Losses: the `Loss` trait, the targets it compares against, and lookup by Keras name.

mod cosine;
mod crossentropy;
mod elementwise;
mod huber;
mod loss;
mod mae;
mod mape;
mod mse;
mod msle;
mod target_kind;

pub use cosine::CosineSimilarity;
pub use crossentropy::{
    BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
};
pub use huber::Huber;
pub use loss::{argmax, from_name, weighted_sum, Loss, Targets, NAMES};
pub use mae::MeanAbsoluteError;
pub use mape::MeanAbsolutePercentageError;
pub use mse::MeanSquaredError;
pub use msle::MeanSquaredLogarithmicError;
pub use target_kind::{check_targets, TargetKind};
