//! Optimizers: the `Optimizer` trait, one file per optimizer, and lookup by Keras name.
//! What they all share (step counter, learning-rate schedule, clipping, state buffers)
//! lives in `base.rs`; the schedules in `schedules.rs`.

mod adadelta;
mod adagrad;
mod adam;
mod adamax;
mod base;
mod config;
mod nadam;
mod optimizer;
mod rmsprop;
mod schedules;
mod sgd;

pub use adadelta::Adadelta;
pub use adagrad::Adagrad;
pub use adam::Adam;
pub use adamax::Adamax;
pub use base::{Base, Clip, LearningRate, Slots};
pub use config::{LearningRateConfig, OptimizerConfig, OptimizerSettings};
pub use nadam::Nadam;
pub use rmsprop::RMSprop;
pub use schedules::{ExponentialDecay, LearningRateSchedule, PiecewiseConstantDecay};
pub use sgd::SGD;

pub(crate) use base::{base_builders, state_access};
pub(crate) use optimizer::{below_one, in_range, non_negative, positive};
pub use optimizer::{from_name, Optimizer, OptimizerState, NAMES};
